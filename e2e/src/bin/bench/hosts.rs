//! What the benchmark serves besides the emulator: one nginx with two servers. The app server
//! (plain http) has the product's release build at `/`, with the repository's own
//! deploy/nginx rules, and the plain-JavaScript peer at `/peer/`. The library server (https,
//! its own port, reached as `api.bitrix24.com` through Chromium's host resolver rules) serves
//! a stand-in for the BX24 library at `/api/v1/`, where the product's loader asks for it.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use e2e::nginx::NginxInstall;
use e2e::{clip, copy_dir, ensure, fail, free_port, wait_until, workspace_root, Proc, Result};
use e2e::{Error, TempDir};
use tokio::net::TcpStream;
use tokio::process::Command;

/// The host the product's loader (js/bx24-loader.js) takes the library from.
pub const LIBRARY_HOST: &str = "api.bitrix24.com";
/// The real library's size as its CDN serves it (issue #12): 27 KB, 7.3 KB gzip.
const LIBRARY_RAW: usize = 27 * 1024;
const LIBRARY_GZIP: f64 = 7.3 * 1024.0;

pub struct Hosts {
    _proc: Proc,
    dir: TempDir,
    /// `http://127.0.0.1:<port>/`: the product at `/`, the peer at `peer/`.
    pub app_url: String,
    /// What the app server serves: a copy of the build, with the peer in `peer/`.
    pub www: PathBuf,
    /// The library server's loopback port (Chromium maps [`LIBRARY_HOST`] to it).
    pub library_port: u16,
    /// Raw and gzip size of the stand-in as served.
    pub library_sizes: (u64, u64),
}

fn run(what: &str, cmd: &mut std::process::Command) -> Result<()> {
    let out = cmd
        .output()
        .map_err(|e| Error(format!("cannot run {what}: {e}")))?;
    ensure!(
        out.status.success(),
        "{what} failed ({}): {}",
        out.status,
        clip(String::from_utf8_lossy(&out.stderr).trim(), 800)
    );
    Ok(())
}

/// `file.gz` beside `file`, as the product's build writes them (nginx `gzip_static`).
fn gzip_beside(file: &Path) -> Result<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(file)
        .output()
        .map_err(|e| Error(format!("cannot run gzip: {e}")))?;
    ensure!(out.status.success(), "gzip {} failed", file.display());
    let gz = PathBuf::from(format!("{}.gz", file.display()));
    std::fs::write(&gz, &out.stdout)?;
    Ok(out.stdout.len() as u64)
}

/// A script of the library's size and compressibility that does nothing: it defines no
/// `BX24`, so the product finds no library once it has loaded and speaks its own frame
/// protocol, as when the library is missing (src/browser.rs `detect_host`). Tokens drawn by
/// a fixed xorshift generator, about a fifth of them random, compress like minified code.
pub fn library_stand_in() -> String {
    let mut x: u32 = 0x2545_f491;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let words = [
        "function",
        "return",
        "callback",
        "placement",
        "params",
        "message",
        "window",
        "this",
        "call",
        "data",
    ];
    let alpha = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";
    let head =
        "/* A stand-in for the BX24 library for the benchmark: its size, none of its code. */\n\
                (function(){var d=[\n";
    let tail = "];return d.length;})();\n";
    let mut body = String::new();
    let mut count = 0;
    loop {
        let mut item = String::from("\"");
        if next() % 1000 < 217 {
            for _ in 0..8 {
                item.push(alpha[next() as usize % alpha.len()] as char);
            }
        } else {
            item.push_str(words[next() as usize % words.len()]);
        }
        item.push_str("\",");
        count += 1;
        if count % 12 == 0 {
            item.push('\n');
        }
        if head.len() + body.len() + item.len() + tail.len() > LIBRARY_RAW {
            break;
        }
        body.push_str(&item);
    }
    let mut s = format!("{head}{body}{tail}");
    while s.len() < LIBRARY_RAW {
        s.push(' ');
    }
    s
}

/// The peer's files: bench/peer/ and the SDK's browser build (`sdk_umd`), each with a .gz.
fn peer_dir(into: &Path, sdk_umd: &Path) -> Result<()> {
    copy_dir(&workspace_root().join("bench/peer"), into)?;
    std::fs::copy(sdk_umd, into.join("b24jssdk.umd.js"))
        .map_err(|e| Error(format!("{}: {e}", sdk_umd.display())))?;
    for name in ["index.html", "peer.js", "b24jssdk.umd.js"] {
        gzip_beside(&into.join(name))?;
    }
    Ok(())
}

impl Hosts {
    /// `dist`: the product's release build; `sdk_umd`: the SDK's browser build;
    /// `portal_origin`: the emulator's editor origin (the page that frames both apps).
    pub async fn start(dist: &Path, sdk_umd: &Path, portal_origin: &str) -> Result<Hosts> {
        let nginx = NginxInstall::find()?;
        let bin = nginx.bin.clone();

        let dir = TempDir::new("bench-hosts")?;
        let d = dir.path();
        // One root for both apps: a copy of the build, the peer in peer/.
        let www = d.join("www");
        copy_dir(dist, &www)?;
        peer_dir(&www.join("peer"), sdk_umd)?;
        let lib = d.join("lib");
        std::fs::create_dir_all(&lib)?;
        let stand_in = lib.join("bx24.js");
        std::fs::write(&stand_in, library_stand_in())?;
        let lib_gz = gzip_beside(&stand_in)?;
        let library_sizes = (LIBRARY_RAW as u64, lib_gz);
        ensure!(
            (lib_gz as f64 - LIBRARY_GZIP).abs() < LIBRARY_GZIP * 0.05,
            "the library stand-in gzips to {lib_gz} B, not about {LIBRARY_GZIP:.0} B"
        );
        // A certificate for the library's host; Chromium runs with --ignore-certificate-errors.
        run(
            "openssl",
            std::process::Command::new("openssl")
                .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
                .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
                .args(["-subj", &format!("/CN={LIBRARY_HOST}")])
                .arg("-keyout")
                .arg(d.join("lib.key"))
                .arg("-out")
                .arg(d.join("lib.crt"))
                .stdin(Stdio::null()),
        )?;

        let deploy = workspace_root().join("deploy/nginx");
        let app_port = free_port()?;
        let mut library_port = free_port()?;
        while library_port == app_port {
            library_port = free_port()?;
        }
        let conf = nginx.conf_head(d, &deploy)
            + &format!(
                r#"    server {{
        listen 127.0.0.1:{app_port};
        set $lbe_portal_origins "{portal_origin}";
        root {www};
        # The product exactly as deploy/nginx serves it.
        location / {{
            include {deploy}/lbe-app.conf;
        }}
        # The peer, from the same server: precompressed files, its page opened by a POST like
        # the product's and never stored, its scripts cached as the product's hashed files are,
        # so that warm opens compare like with like. No CSP: a plain app would send none.
        location /peer/ {{
            gzip_static on;
            gzip_vary on;
            add_header Cache-Control "public, max-age=31536000, immutable" always;
            location ~ /peer/(index\.html)?$ {{
                error_page 405 =200 $uri;
                add_header Cache-Control "no-store" always;
            }}
        }}
    }}
    server {{
        listen 127.0.0.1:{library_port} ssl;
        server_name {LIBRARY_HOST};
        ssl_certificate {d}/lib.crt;
        ssl_certificate_key {d}/lib.key;
        # What a CDN does for the library: compressed, cacheable.
        location = /api/v1/ {{
            root {lib};
            try_files /bx24.js =404;
            gzip_static on;
            gzip_vary on;
            default_type text/javascript;
            add_header Cache-Control "public, max-age=3600" always;
        }}
    }}
}}
"#,
                deploy = deploy.display(),
                www = www.display(),
                lib = lib.display(),
                d = d.display(),
            );
        let conf_file = d.join("nginx.conf");
        std::fs::write(&conf_file, conf)?;
        let mut cmd = Command::new(&bin);
        cmd.arg("-p")
            .arg(d)
            .arg("-c")
            .arg(&conf_file)
            .arg("-e")
            .arg(d.join("error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut proc = Proc::spawn("nginx", &mut cmd)?;
        let error_log = d.join("error.log");
        let (a, l) = (
            format!("127.0.0.1:{app_port}"),
            format!("127.0.0.1:{library_port}"),
        );
        wait_until("nginx to listen", || {
            let running = proc.check_running();
            let (a, l, log) = (a.clone(), l.clone(), error_log.clone());
            async move {
                if let Err(e) = running {
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    fail!("{e}; error.log:\n{}", clip(&text, 2000));
                }
                let up =
                    TcpStream::connect(&a).await.is_ok() && TcpStream::connect(&l).await.is_ok();
                Ok(up.then_some(()))
            }
        })
        .await?;
        Ok(Hosts {
            _proc: proc,
            dir,
            app_url: format!("http://{a}/"),
            www,
            library_port,
            library_sizes,
        })
    }

    /// The Chromium flags that send [`LIBRARY_HOST`] to the library server.
    pub fn browser_args(&self) -> Vec<String> {
        vec![
            format!(
                "--host-resolver-rules=MAP {LIBRARY_HOST} 127.0.0.1:{}",
                self.library_port
            ),
            "--ignore-certificate-errors".into(),
        ]
    }

    /// nginx's access log so far (for diagnostics).
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }
}
