//! Command-line flags, parsed by hand (a handful of `--flag value` pairs).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: emulator [--addr 127.0.0.1:8090] [--app-addr 127.0.0.1:8091] [--app-dir DIR]
                [--app-handler URL] [--app-title TITLE] [--blocks DIR] [--state FILE]
                [--token-lifetime SECS] [--access X|W|V|D|A] [--latency-ms N]
                [--fresh-install] [--user admin|editor]

A local stand-in for a Bitrix24 portal's Sites editor. Listens on loopback only.";

/// Everything the emulator is started with.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Editor page, REST and control endpoints.
    pub addr: SocketAddr,
    /// Static host for the app; only started when `app_dir` is set.
    pub app_addr: SocketAddr,
    pub app_dir: Option<PathBuf>,
    /// Handler of the default `LANDING_BLOCK_*` binding; `None` = derive it (see `server`).
    pub app_handler: Option<String>,
    pub app_title: String,
    /// Block fixtures directory; `None` = the fixtures embedded at compile time.
    pub blocks_dir: Option<PathBuf>,
    pub state_file: Option<PathBuf>,
    pub token_lifetime_secs: u64,
    /// The current user's access letter on the page: X, W, V, D or A.
    pub access: char,
    /// Delay added to every REST answer.
    pub latency_ms: u64,
    /// The app was just added: not bound, installation not finished (see `StoreOptions`).
    pub fresh_install: bool,
    /// The current user is a portal administrator (`--user admin`, the default).
    pub is_admin: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8090),
            app_addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8091),
            app_dir: None,
            app_handler: None,
            app_title: "Block editor".to_string(),
            blocks_dir: None,
            state_file: None,
            token_lifetime_secs: 3600,
            access: 'X',
            latency_ms: 0,
            fresh_install: false,
            is_admin: true,
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Box<Config>),
    Help,
}

/// Access letters the editor knows (see `getcontent`'s `access`).
pub const ACCESS_LETTERS: [char; 5] = ['X', 'W', 'V', 'D', 'A'];

pub fn parse_access(s: &str) -> Option<char> {
    let mut chars = s.trim().chars();
    let c = chars.next()?.to_ascii_uppercase();
    (chars.next().is_none() && ACCESS_LETTERS.contains(&c)).then_some(c)
}

/// Parses a listen address and insists on loopback (`localhost` is taken as 127.0.0.1).
pub fn parse_loopback_addr(flag: &str, s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    let addr = if let Some(port) = s.strip_prefix("localhost:") {
        let port: u16 = port
            .parse()
            .map_err(|_| format!("{flag}: bad port in {s:?}"))?;
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
    } else {
        s.parse::<SocketAddr>()
            .map_err(|_| format!("{flag}: expected IP:PORT (e.g. 127.0.0.1:8090), got {s:?}"))?
    };
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{flag}: refusing to listen on non-loopback address {addr}; the emulator hands out \
             tokens and edits files, so it only binds 127.0.0.0/8 or [::1]"
        ));
    }
    Ok(addr)
}

/// Parses the arguments after the program name. Errors are meant for stderr + exit code 2.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Parsed, String> {
    let mut cfg = Config::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Parsed::Help);
        }
        if arg == "--fresh-install" {
            cfg.fresh_install = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--addr",
            "--app-addr",
            "--app-dir",
            "--app-handler",
            "--app-title",
            "--blocks",
            "--state",
            "--token-lifetime",
            "--access",
            "--latency-ms",
            "--user",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--addr" => cfg.addr = parse_loopback_addr("--addr", &value)?,
            "--app-addr" => cfg.app_addr = parse_loopback_addr("--app-addr", &value)?,
            "--app-dir" => cfg.app_dir = Some(PathBuf::from(value)),
            "--app-handler" => {
                if !(value.starts_with("http://") || value.starts_with("https://")) {
                    return Err(format!(
                        "--app-handler: expected an http(s) URL, got {value:?}"
                    ));
                }
                cfg.app_handler = Some(value)
            }
            "--app-title" => cfg.app_title = value,
            "--blocks" => cfg.blocks_dir = Some(PathBuf::from(value)),
            "--state" => cfg.state_file = Some(PathBuf::from(value)),
            "--token-lifetime" => {
                cfg.token_lifetime_secs = value
                    .parse()
                    .map_err(|_| format!("--token-lifetime: expected seconds, got {value:?}"))?
            }
            "--access" => {
                cfg.access = parse_access(&value)
                    .ok_or_else(|| format!("--access: expected one of X W V D A, got {value:?}"))?
            }
            "--latency-ms" => {
                cfg.latency_ms = value
                    .parse()
                    .map_err(|_| format!("--latency-ms: expected milliseconds, got {value:?}"))?
            }
            "--user" => {
                cfg.is_admin = match value.trim() {
                    "admin" => true,
                    "editor" => false,
                    _ => return Err(format!("--user: expected admin or editor, got {value:?}")),
                }
            }
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    Ok(Parsed::Run(Box::new(cfg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        match parse_args(args.iter().map(|s| s.to_string()))? {
            Parsed::Run(c) => Ok(*c),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[]).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.addr.to_string(), "127.0.0.1:8090");
        assert_eq!(c.token_lifetime_secs, 3600);
    }

    #[test]
    fn all_flags_both_spellings() {
        let c = run(&[
            "--addr",
            "127.0.0.1:0",
            "--app-addr=[::1]:9000",
            "--app-dir",
            "dist",
            "--app-handler",
            "http://127.0.0.1:1/h/",
            "--app-title",
            "My app",
            "--blocks",
            "b",
            "--state",
            "s.json",
            "--token-lifetime",
            "5",
            "--access",
            "v",
            "--latency-ms=20",
            "--fresh-install",
            "--user",
            "editor",
        ])
        .unwrap();
        assert_eq!(c.addr.port(), 0);
        assert_eq!(c.app_addr.to_string(), "[::1]:9000");
        assert_eq!(c.app_dir, Some(PathBuf::from("dist")));
        assert_eq!(c.app_handler.as_deref(), Some("http://127.0.0.1:1/h/"));
        assert_eq!(c.app_title, "My app");
        assert_eq!(c.blocks_dir, Some(PathBuf::from("b")));
        assert_eq!(c.state_file, Some(PathBuf::from("s.json")));
        assert_eq!(c.token_lifetime_secs, 5);
        assert_eq!(c.access, 'V');
        assert_eq!(c.latency_ms, 20);
        assert!(c.fresh_install);
        assert!(!c.is_admin);
    }

    #[test]
    fn localhost_is_loopback() {
        assert_eq!(
            run(&["--addr", "localhost:7"]).unwrap().addr.to_string(),
            "127.0.0.1:7"
        );
    }

    #[test]
    fn refuses_non_loopback_and_garbage() {
        let e = run(&["--addr", "0.0.0.0:8090"]).unwrap_err();
        assert!(e.contains("non-loopback"), "{e}");
        assert!(run(&["--app-addr", "192.168.1.2:1"]).is_err());
        assert!(run(&["--addr"]).unwrap_err().contains("needs a value"));
        assert!(run(&["--bogus", "1"]).is_err());
        assert!(run(&["--access", "Q"]).is_err());
        assert!(run(&["--token-lifetime", "-1"]).is_err());
        assert!(run(&["--app-handler", "ftp://x"]).is_err());
        assert!(run(&["--user", "root"]).is_err());
        assert_eq!(run(&["--help"]).unwrap_err(), "help");
    }
}
