//! Shipping the release build: the page's markup and Content-Security-Policy, the precompressed
//! copies the build writes, the zip for a Bitrix24 local static app, and the nginx configuration
//! in `deploy/nginx/`, served by an nginx of our own on loopback (at a site's root and under a
//! sub-path) and used by the emulator's editor in Chromium.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use e2e::nginx::NginxInstall;
use e2e::{
    copy_dir, dist_dir, ensure, fail, field_css, fixture, free_port, wait_until, workspace_root,
    EmuOptions, Error, Proc, Result, Session, Status, TempDir,
};
use scraper::{Html, Selector};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::Command;

/// Where the sub-path deployment lives on its server.
const SUB_PATH: &str = "/apps/block-editor/";

// ---------------------------------------------------------------------------------------------
// The release page

/// Every file under `dir`, as paths relative to it with `/` separators.
fn files_under(dir: &Path) -> Result<BTreeSet<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

fn is_precompressed(name: &str) -> bool {
    name.ends_with(".gz") || name.ends_with(".br")
}

fn selector(css: &str) -> Result<Selector> {
    Selector::parse(css).map_err(|e| Error(format!("selector {css}: {e:?}")))
}

/// `src`/`href` of every script and link in the page, as written.
/// The official BX24 library, the one file the page loads from elsewhere: preloaded by a
/// link so that its download starts with the page's own, then added by js/bx24-loader.js.
const BX24_LIBRARY: &str = "https://api.bitrix24.com/api/v1/";

/// What the page loads of the app's own files (every `src` and `href` but the library's).
fn page_urls(doc: &Html) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    for el in doc.select(&selector("script[src], link[href]")?) {
        let v = el.value();
        if let Some(u) = v.attr("src").or_else(|| v.attr("href")) {
            if u != BX24_LIBRARY {
                urls.push(u.to_string());
            }
        }
    }
    Ok(urls)
}

/// A page-relative URL as a path inside dist/ (`./a.js` → `a.js`).
fn dist_path(url: &str) -> String {
    url.trim_start_matches("./").to_string()
}

fn release_page() -> Result<(PathBuf, Html)> {
    let dist = dist_dir()?;
    let text = std::fs::read_to_string(dist.join("index.html"))?;
    Ok((dist, Html::parse_document(&text)))
}

#[test]
fn release_page_has_relative_urls_and_no_inline_script() -> Result<()> {
    let (dist, doc) = release_page()?;
    let library = format!("link[rel=preload][as=script][href=\"{BX24_LIBRARY}\"]");
    ensure!(
        doc.select(&selector(&library)?).count() == 1,
        "the BX24 library is not preloaded once: no {library}"
    );
    for el in doc.select(&selector("*")?) {
        let v = el.value();
        for (name, _) in v.attrs() {
            ensure!(
                !name.to_ascii_lowercase().starts_with("on"),
                "<{}> has an inline event handler {name}",
                v.name()
            );
        }
        if v.name() == "script" {
            ensure!(
                v.attr("src").is_some(),
                "a <script> without src: {}",
                el.html()
            );
            let text: String = el.text().collect();
            ensure!(
                text.trim().is_empty(),
                "a <script> with inline code: {}",
                el.html()
            );
        }
    }
    ensure!(
        doc.select(&selector("base")?).next().is_none(),
        "the page has a <base>: relative URLs must resolve against the page's own address"
    );
    let urls = page_urls(&doc)?;
    ensure!(urls.len() >= 6, "too few scripts and links: {urls:?}");
    for url in &urls {
        ensure!(
            !url.starts_with('/') && !url.contains("://") && !url.contains(".."),
            "{url} is not a relative URL inside the app's directory"
        );
        ensure!(
            dist.join(dist_path(url)).is_file(),
            "the page loads {url}, which is not in {}",
            dist.display()
        );
    }
    // The app is started by a module file from the two links the build writes.
    let one = |css: &str| -> Result<String> {
        let sel = selector(css)?;
        let found: Vec<_> = doc.select(&sel).collect();
        ensure!(found.len() == 1, "{} elements match {css}", found.len());
        let v = found[0].value();
        Ok(v.attr("href")
            .or_else(|| v.attr("src"))
            .unwrap_or("")
            .to_string())
    };
    ensure!(
        one("link[rel=modulepreload][data-lbe-app-js]")?.ends_with(".js"),
        "the app-js link does not name a .js"
    );
    ensure!(
        one("link[rel=preload][as=fetch][data-lbe-app-wasm]")?.ends_with("_bg.wasm"),
        "the app-wasm link does not name the wasm"
    );
    ensure!(
        one("script[type=module]")?.contains("boot-"),
        "no boot module script"
    );
    ensure!(
        one("script:not([type])")?.contains("bx24-loader-"),
        "no BX24 loader script"
    );
    Ok(())
}

/// A policy as directive → sources (both as written).
fn parse_csp(policy: &str) -> BTreeMap<String, Vec<String>> {
    policy
        .split(';')
        .filter_map(|d| {
            let mut parts = d.split_whitespace();
            let name = parts.next()?.to_ascii_lowercase();
            Some((name, parts.map(str::to_string).collect()))
        })
        .collect()
}

fn meta_csp(doc: &Html) -> Result<String> {
    let sel = selector("meta[http-equiv='Content-Security-Policy']")?;
    let metas: Vec<_> = doc.select(&sel).collect();
    ensure!(
        metas.len() == 1,
        "{} CSP <meta> elements in the page",
        metas.len()
    );
    Ok(metas[0].value().attr("content").unwrap_or("").to_string())
}

/// The `$lbe_csp` value in deploy/nginx/lbe-http.conf (nginx variables left in).
fn nginx_csp_template() -> Result<String> {
    let path = workspace_root().join("deploy/nginx/lbe-http.conf");
    let text = std::fs::read_to_string(&path)?;
    let start = text
        .find("map $host $lbe_csp")
        .ok_or_else(|| Error(format!("no `map $host $lbe_csp` in {}", path.display())))?;
    let rest = &text[start..];
    let value = rest
        .split_once("default \"")
        .and_then(|(_, v)| v.split_once("\";"))
        .map(|(v, _)| v.to_string())
        .ok_or_else(|| {
            Error(format!(
                "no quoted default in the $lbe_csp map of {}",
                path.display()
            ))
        })?;
    Ok(value)
}

#[test]
fn page_csp_is_strict_and_matches_the_nginx_header() -> Result<()> {
    let (_, doc) = release_page()?;
    // The CSP must come before the first script or it does not cover it.
    let head: String = doc
        .select(&selector("head")?)
        .next()
        .map(|h| h.inner_html())
        .unwrap_or_default();
    let meta_at = head.find("Content-Security-Policy");
    let script_at = head.find("<script");
    ensure!(
        matches!((meta_at, script_at), (Some(m), Some(s)) if m < s),
        "the CSP <meta> does not come before the first script"
    );
    let meta = parse_csp(&meta_csp(&doc)?);
    let sources = |d: &str| meta.get(d).cloned().unwrap_or_default();
    ensure!(
        sources("default-src") == ["'none'"],
        "default-src: {:?}",
        sources("default-src")
    );
    ensure!(
        sources("script-src") == ["'self'", "'wasm-unsafe-eval'", "https://api.bitrix24.com"],
        "script-src allows more or less than the app, its wasm and the BX24 library: {:?}",
        sources("script-src")
    );
    // Block content carries inline `style` attributes (and formatted text keeps them): the
    // one inline thing allowed, and only as attributes, never as <style> or script. The
    // preview links the block's stylesheets from the portal (any https host, or loopback).
    ensure!(
        sources("style-src")
            == [
                "'self'",
                "https:",
                "http://127.0.0.1:*",
                "http://localhost:*"
            ]
            && sources("style-src-attr") == ["'unsafe-inline'"],
        "styles: style-src {:?}, style-src-attr {:?}",
        sources("style-src"),
        sources("style-src-attr")
    );
    for (directive, list) in meta.iter().filter(|(d, _)| *d != "style-src-attr") {
        for bad in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:"] {
            ensure!(
                !list.iter().any(|s| s == bad),
                "{directive} allows {bad} in the release build"
            );
        }
    }
    ensure!(
        !meta.contains_key("frame-ancestors"),
        "frame-ancestors in a <meta> policy is ignored by browsers: it belongs in the header"
    );
    ensure!(
        sources("connect-src").contains(&"https:".to_string()),
        "REST to the portal (any https host) is not allowed"
    );

    let header = parse_csp(&nginx_csp_template()?);
    let ancestors = header.get("frame-ancestors").cloned().unwrap_or_default();
    for needed in [
        "https://*.bitrix24.com",
        "https://*.bitrix24.ru",
        "https://*.bitrix24.de",
        "$lbe_portal_origins",
    ] {
        ensure!(
            ancestors.iter().any(|a| a == needed),
            "the header's frame-ancestors lacks {needed}: {ancestors:?}"
        );
    }
    let mut without_ancestors = header.clone();
    without_ancestors.remove("frame-ancestors");
    ensure!(
        without_ancestors == meta,
        "the nginx header's policy (less frame-ancestors) differs from the page's <meta>:\n\
         header: {without_ancestors:?}\nmeta:   {meta:?}"
    );
    Ok(())
}

/// `tool -dc file` → the decompressed bytes.
fn decompress(tool: &str, file: &Path) -> Result<Vec<u8>> {
    let out = std::process::Command::new(tool)
        .arg("-dc")
        .arg(file)
        .output()
        .map_err(|e| {
            Error(format!(
                "cannot run {tool} (scripts/setup.sh installs it): {e}"
            ))
        })?;
    ensure!(out.status.success(), "{tool} -dc {} failed", file.display());
    Ok(out.stdout)
}

#[test]
fn release_build_writes_gzip_and_brotli_copies() -> Result<()> {
    let dist = dist_dir()?;
    let files = files_under(&dist)?;
    let served: Vec<&String> = files.iter().filter(|f| !is_precompressed(f)).collect();
    ensure!(
        served.iter().any(|f| f.ends_with("_bg.wasm")),
        "no wasm in {}",
        dist.display()
    );
    for name in served {
        let original = std::fs::read(dist.join(name))?;
        for (ext, tool) in [("gz", "gzip"), ("br", "brotli")] {
            let copy = dist.join(format!("{name}.{ext}"));
            ensure!(copy.is_file(), "the build wrote no {name}.{ext}");
            ensure!(
                decompress(tool, &copy)? == original,
                "{name}.{ext} does not decompress to {name}"
            );
            if name.ends_with(".wasm") {
                let packed = std::fs::metadata(&copy)?.len() as usize;
                ensure!(
                    packed * 2 < original.len(),
                    "{name}.{ext} is {packed} B for {} B: not compressed at the highest level?",
                    original.len()
                );
            }
        }
    }
    Ok(())
}

#[test]
fn zip_for_a_local_static_app_has_index_html_at_its_root() -> Result<()> {
    let dist = dist_dir()?;
    let tmp = TempDir::new("zip")?;
    let zip = tmp.path().join("app.zip");
    let out = std::process::Command::new("bash")
        .arg(workspace_root().join("scripts/package.sh"))
        .arg("--no-build")
        .env("LBE_ZIP", &zip)
        .output()?;
    ensure!(
        out.status.success(),
        "scripts/package.sh --no-build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The packer zips dist/ itself, so compare with the dist/ it packed (LBE_DIST may differ).
    let packed_dist = workspace_root().join("dist");
    let listing = std::process::Command::new("unzip")
        .arg("-Z1")
        .arg(&zip)
        .output()?;
    ensure!(
        listing.status.success(),
        "unzip -Z1 cannot read {}",
        zip.display()
    );
    let entries: BTreeSet<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    ensure!(
        entries.contains("index.html"),
        "index.html is not at the zip's root: {entries:?}"
    );
    for e in &entries {
        ensure!(
            !e.starts_with('/')
                && !e.starts_with("./")
                && !e.starts_with("dist/")
                && !e.ends_with('/'),
            "zip entry {e:?} is not a plain file path under the root"
        );
    }
    let expected: BTreeSet<String> = files_under(&packed_dist)?
        .into_iter()
        .filter(|f| !is_precompressed(f))
        .collect();
    ensure!(
        entries == expected,
        "the zip holds {entries:?}, dist/ less .gz/.br is {expected:?}"
    );
    let unpacked = tmp.path().join("unpacked");
    let status = std::process::Command::new("unzip")
        .arg("-q")
        .arg(&zip)
        .arg("-d")
        .arg(&unpacked)
        .status()?;
    ensure!(status.success(), "cannot unpack {}", zip.display());
    for name in &entries {
        ensure!(
            std::fs::read(unpacked.join(name))? == std::fs::read(packed_dist.join(name))?,
            "{name} in the zip differs from dist/{name}"
        );
    }
    // Everything the page loads is in the zip.
    if packed_dist == dist {
        let (_, doc) = release_page()?;
        for url in page_urls(&doc)? {
            ensure!(entries.contains(&dist_path(&url)), "the zip lacks {url}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// nginx on loopback

/// An nginx of our own (not the system's service) on two free loopback ports, serving the
/// release build with the repository's deploy/nginx files: one server with the app at its
/// root, one with the app under [`SUB_PATH`].
struct Nginx {
    _proc: Proc,
    dir: TempDir,
    /// `host:port` of the server with the app at `/`.
    root_addr: String,
    /// `host:port` of the server with the app under [`SUB_PATH`].
    sub_addr: String,
}

impl Nginx {
    async fn start(portal_origins: &str) -> Result<Nginx> {
        let dist = dist_dir()?;
        let nginx = NginxInstall::find()?;
        let bin = nginx.bin.clone();

        let dir = TempDir::new("nginx")?;
        let root_www = dir.path().join("root");
        let sub_www = dir.path().join("sub");
        copy_dir(&dist, &root_www)?;
        copy_dir(&dist, &sub_www.join(SUB_PATH.trim_matches('/')))?;
        let deploy = workspace_root().join("deploy/nginx");
        let root_port = free_port()?;
        let mut sub_port = free_port()?;
        while sub_port == root_port {
            sub_port = free_port()?;
        }
        let conf = nginx.conf_head(dir.path(), &deploy)
            + &format!(
                r#"    server {{
        listen 127.0.0.1:{root_port};
        set $lbe_portal_origins "{portal_origins}";
        root {root_www};
        include {deploy}/lbe-app.conf;
    }}
    server {{
        listen 127.0.0.1:{sub_port};
        set $lbe_portal_origins "{portal_origins}";
        root {sub_www};
        location {SUB_PATH} {{
            include {deploy}/lbe-app.conf;
        }}
    }}
}}
"#,
                deploy = deploy.display(),
                root_www = root_www.display(),
                sub_www = sub_www.display(),
            );
        let conf_file = dir.path().join("nginx.conf");
        std::fs::write(&conf_file, conf)?;
        let mut cmd = Command::new(&bin);
        cmd.arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_file)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut proc = Proc::spawn("nginx", &mut cmd)?;
        let (root_addr, sub_addr) = (
            format!("127.0.0.1:{root_port}"),
            format!("127.0.0.1:{sub_port}"),
        );
        let error_log = dir.path().join("error.log");
        wait_until("nginx to listen on both ports", || {
            let running = proc.check_running();
            let (a, b) = (root_addr.clone(), sub_addr.clone());
            let log = error_log.clone();
            async move {
                if let Err(e) = running {
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    fail!("{e}; error.log:\n{}", e2e::clip(&text, 2000));
                }
                let up =
                    TcpStream::connect(&a).await.is_ok() && TcpStream::connect(&b).await.is_ok();
                Ok(up.then_some(()))
            }
        })
        .await?;
        Ok(Nginx {
            _proc: proc,
            dir,
            root_addr,
            sub_addr,
        })
    }

    /// Both deployments: (server address, the app's path on it).
    fn deployments(&self) -> [(&str, &str); 2] {
        [(&self.root_addr, "/"), (&self.sub_addr, SUB_PATH)]
    }

    fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }
}

/// A raw HTTP answer.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection, the whole answer read (`Connection: close`).
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(raw)
    };
    let raw = match tokio::time::timeout(Duration::from_secs(20), exchange).await {
        Ok(r) => r.map_err(|e| Error(format!("{method} http://{addr}{path}: {e}")))?,
        Err(_) => fail!("{method} http://{addr}{path}: no answer in 20s"),
    };
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| Error(format!("{method} {path}: incomplete answer")))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error(format!("{method} {path}: bad status line")))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    // nginx sends static files with Content-Length, never chunked.
    Ok(Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

/// What Bitrix24 sends when it opens a handler: a form POST with the query string.
const BITRIX24_QUERY: &str = "?DOMAIN=acme.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=0123abcd";
const BITRIX24_FORM: &[u8] = b"AUTH_ID=token&AUTH_EXPIRES=3600&REFRESH_ID=refresh&member_id=m1\
&status=L&PLACEMENT=LANDING_BLOCK_%2A&PLACEMENT_OPTIONS=%7B%22ID%22%3A%22103%22%7D";

fn expected_csp(portal_origins: &str) -> Result<String> {
    Ok(nginx_csp_template()?.replace("$lbe_portal_origins", portal_origins))
}

#[tokio::test]
async fn nginx_answers_get_and_post_with_the_page_at_root_and_under_a_path() -> Result<()> {
    let dist = dist_dir()?;
    let index = std::fs::read(dist.join("index.html"))?;
    let index_gz = std::fs::read(dist.join("index.html.gz"))?;
    let origins = "https://portal.example.com";
    let nginx = Nginx::start(origins).await?;
    let csp = expected_csp(origins)?;
    for (addr, base) in nginx.deployments() {
        let page = format!("{base}{BITRIX24_QUERY}");
        let cases = [
            ("GET", page.clone()),
            ("POST", page.clone()),
            ("POST", format!("{base}index.html")),
            ("GET", format!("{base}index.html")),
        ];
        for (method, path) in cases {
            let what = format!("{method} http://{addr}{path}");
            let r = if method == "POST" {
                let form = [("Content-Type", "application/x-www-form-urlencoded")];
                request(addr, method, &path, &form, BITRIX24_FORM).await?
            } else {
                request(addr, method, &path, &[], b"").await?
            };
            ensure!(r.status == 200, "{what}: HTTP {}", r.status);
            ensure!(r.body == index, "{what}: the body is not dist/index.html");
            ensure!(
                r.header("content-type")
                    .is_some_and(|t| t.starts_with("text/html")),
                "{what}: Content-Type {:?}",
                r.header("content-type")
            );
            ensure!(
                r.header("cache-control") == Some("no-store"),
                "{what}: Cache-Control {:?}",
                r.header("cache-control")
            );
            ensure!(
                r.header("content-security-policy") == Some(csp.as_str()),
                "{what}: Content-Security-Policy {:?}, want {csp:?}",
                r.header("content-security-policy")
            );
            ensure!(
                r.header("x-frame-options").is_none(),
                "{what}: X-Frame-Options would stop the portal from framing the app"
            );
            ensure!(
                r.header("x-content-type-options") == Some("nosniff"),
                "{what}: no X-Content-Type-Options: nosniff"
            );
        }
        // The page itself comes precompressed too, also for the POST.
        let r = request(
            addr,
            "POST",
            &page,
            &[
                ("Accept-Encoding", "gzip"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            BITRIX24_FORM,
        )
        .await?;
        ensure!(
            r.status == 200 && r.header("content-encoding") == Some("gzip") && r.body == index_gz,
            "POST {base} with gzip: HTTP {}, Content-Encoding {:?}",
            r.status,
            r.header("content-encoding")
        );
        // Only GET, HEAD and POST are answered with the page.
        let r = request(addr, "PUT", base, &[], b"x").await?;
        ensure!(r.status == 403, "PUT {base}: HTTP {}", r.status);
        let r = request(addr, "GET", &format!("{base}missing.js"), &[], b"").await?;
        ensure!(r.status == 404, "GET {base}missing.js: HTTP {}", r.status);
    }
    // The sub-path server has nothing outside its path.
    let r = request(&nginx.sub_addr, "GET", "/index.html", &[], b"").await?;
    ensure!(
        r.status == 404,
        "GET /index.html outside {SUB_PATH}: HTTP {}",
        r.status
    );
    let log = nginx.access_log();
    ensure!(
        log.lines()
            .filter(|l| l.contains("\"POST ") && l.contains("\" 200 "))
            .count()
            >= 6,
        "nginx's access log does not show the POSTs answered with 200:\n{}",
        e2e::clip(&log, 2000)
    );
    Ok(())
}

#[tokio::test]
async fn nginx_serves_hashed_files_precompressed_with_a_long_cache() -> Result<()> {
    let (dist, doc) = release_page()?;
    let nginx = Nginx::start("").await?;
    let hashed: Vec<String> = page_urls(&doc)?
        .iter()
        .map(|u| dist_path(u))
        .filter(|f| !f.starts_with("static/"))
        .collect();
    ensure!(
        hashed.iter().any(|f| f.ends_with("_bg.wasm")) && hashed.len() >= 5,
        "the page's hashed files: {hashed:?}"
    );
    for (addr, base) in nginx.deployments() {
        for file in &hashed {
            let path = format!("{base}{file}");
            let want_type = match file.rsplit('.').next() {
                Some("wasm") => "application/wasm",
                Some("js") => "javascript",
                Some("css") => "text/css",
                _ => fail!("unexpected hashed file {file}"),
            };
            for (accept, encoding, suffix) in [
                ("br, gzip", Some("br"), ".br"),
                ("gzip", Some("gzip"), ".gz"),
                ("identity", None, ""),
            ] {
                let what = format!("GET {path} (Accept-Encoding: {accept})");
                let r = request(addr, "GET", &path, &[("Accept-Encoding", accept)], b"").await?;
                ensure!(r.status == 200, "{what}: HTTP {}", r.status);
                ensure!(
                    r.header("content-encoding") == encoding,
                    "{what}: Content-Encoding {:?}",
                    r.header("content-encoding")
                );
                ensure!(
                    r.body == std::fs::read(dist.join(format!("{file}{suffix}")))?,
                    "{what}: the body is not dist/{file}{suffix}"
                );
                ensure!(
                    r.header("content-type")
                        .is_some_and(|t| t.contains(want_type)),
                    "{what}: Content-Type {:?}",
                    r.header("content-type")
                );
                ensure!(
                    r.header("cache-control") == Some("public, max-age=31536000, immutable"),
                    "{what}: Cache-Control {:?}",
                    r.header("cache-control")
                );
                ensure!(
                    r.header("vary")
                        .is_some_and(|v| v.contains("Accept-Encoding")),
                    "{what}: no Vary: Accept-Encoding"
                );
            }
        }
        // Files without a hash in their name are revalidated.
        let icon = format!("{base}static/icon.svg");
        let r = request(addr, "GET", &icon, &[], b"").await?;
        ensure!(
            r.status == 200 && r.header("cache-control") == Some("no-cache"),
            "GET {icon}: HTTP {}, Cache-Control {:?}",
            r.status,
            r.header("cache-control")
        );
    }
    Ok(())
}

/// Records every CSP violation of the app's frame in `window.__lbeCspViolations`, from before
/// the page's own scripts run: the directive, what was blocked, and whether it happened on an
/// element of the app's own document (`live`) rather than in a parsed, inert document, and which
/// policy refused it (the header's is the one with frame-ancestors).
const RECORD_CSP_VIOLATIONS: &str = r#"
if (window !== window.top) {
  window.__lbeCspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    const live = e.target instanceof Element && document.contains(e.target);
    const policy = e.originalPolicy.includes("frame-ancestors") ? "header" : "meta";
    window.__lbeCspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, live, policy});
  });
}
"#;

/// Every violation the recorder saw. There is no expected one: the block HTML that src/dom.rs
/// parses carries `style` attributes, and the parsed document inherits the page's policy,
/// which allows style attributes (`style-src-attr`) for exactly that.
fn all_violations(all: &Value) -> Vec<Value> {
    all.as_array().into_iter().flatten().cloned().collect()
}

#[tokio::test]
async fn nginx_hosted_app_opens_and_saves_in_the_editor_under_its_csp() -> Result<()> {
    // The emulator's editor page is the portal here: let its origin frame the app.
    let nginx = Nginx::start("http://127.0.0.1:*").await?;
    let handler = format!("http://{}{SUB_PATH}", nginx.sub_addr);
    let opts = EmuOptions {
        extra_args: vec!["--app-handler".into(), handler.clone()],
        ..EmuOptions::default()
    };
    let s = Session::start("nginx_hosted_app", opts).await?;
    let r = nginx_hosted_body(&s, &nginx, &handler).await;
    s.finish(r).await
}

async fn nginx_hosted_body(s: &Session, nginx: &Nginx, handler: &str) -> Result<()> {
    s.browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": RECORD_CSP_VIOLATIONS}),
        )
        .await?;
    let block = fixture("31.1.two_cols_text_img")?;
    s.open_editor("").await?;
    s.open_app(block.id).await?;
    let href = s.js("return location.href;").await?;
    ensure!(
        href.as_str().is_some_and(|h| h.starts_with(handler)),
        "the slider shows {href}, not the app from nginx at {handler}"
    );
    let log = nginx.access_log();
    ensure!(
        log.lines()
            .any(|l| l.contains(&format!("\"POST {SUB_PATH}")) && l.contains("\" 200 ")),
        "nginx did not answer the editor's POST to {SUB_PATH} with 200:\n{}",
        e2e::clip(&log, 2000)
    );
    // The BX24 loader (a file, not inline script) ran and settled: loaded with a network,
    // failed without one.
    let bx24 = s
        .js("return window.lbeBx24 ? window.lbeBx24.state : null;")
        .await?;
    ensure!(
        bx24 == json!("loaded") || bx24 == json!("failed"),
        "window.lbeBx24.state is {bx24}"
    );

    let title = "Served by nginx";
    let css = format!("{} textarea", field_css(".landing-block-node-title", 0));
    s.type_into(&css, title).await?;
    s.click("#save").await?;
    s.wait_status(Status::Ok, &[Status::Error, Status::Warning])
        .await?;
    let violations = s.js("return window.__lbeCspViolations;").await?;
    ensure!(
        violations.is_array(),
        "the violation recorder did not run in the app's frame"
    );
    let unexpected = all_violations(&violations);
    ensure!(
        unexpected.is_empty(),
        "the app broke its own CSP while opening and saving: {unexpected:?}"
    );
    // The console too stays clean. Hosts outside loopback cannot be resolved on a machine
    // without a network (the BX24 library, the block's pictures on the portal's CDN): those
    // failed loads are the only entries expected.
    let noise: Vec<Value> = s
        .browser
        .console_entries()
        .await?
        .into_iter()
        .filter(|e| e["level"] == json!("SEVERE") || e["level"] == json!("WARNING"))
        .filter(|e| {
            !e["message"]
                .as_str()
                .is_some_and(|m| m.contains("net::ERR_NAME_NOT_RESOLVED"))
        })
        .collect();
    ensure!(
        noise.is_empty(),
        "the console has errors or warnings after opening and saving: {noise:?}"
    );
    s.to_page().await?;
    wait_until("the block on the page to show the saved title", || async {
        Ok(s.page_block_html(block.id)
            .await?
            .contains(title)
            .then_some(()))
    })
    .await?;

    // The policy is in force: an inline script injected into the app's page does not run.
    s.enter_app_frame().await?;
    let ran = s
        .js("const el = document.createElement('script');
             el.textContent = 'window.__lbeInlineRan = true;';
             document.body.appendChild(el);
             return window.__lbeInlineRan === true;")
        .await?;
    ensure!(
        ran == json!(false),
        "an inline script ran in the app's page"
    );
    let violations = wait_until("the refused inline script to be reported", || async {
        let v: Value = s.js("return window.__lbeCspViolations;").await?;
        Ok((!all_violations(&v).is_empty()).then_some(v))
    })
    .await?;
    let refused = all_violations(&violations);
    // Both policies are in force and each refuses it: nginx's header and the page's <meta>.
    let policies: BTreeSet<String> = refused
        .iter()
        .filter(|v| v["directive"] == json!("script-src-elem") && v["blocked"] == json!("inline"))
        .filter_map(|v| v["policy"].as_str().map(str::to_string))
        .collect();
    ensure!(
        refused.len() == 2 && policies == BTreeSet::from(["header".into(), "meta".into()]),
        "the inline script was not refused once by each policy: {refused:?}"
    );
    Ok(())
}
