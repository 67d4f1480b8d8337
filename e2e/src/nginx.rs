//! The nginx that scripts/setup.sh installs, as the deployment tests and the benchmark run it:
//! where its binary, its brotli_static module and its MIME types are.

use std::path::{Path, PathBuf};

use crate::{ensure, Error, Result};

pub struct NginxInstall {
    pub bin: String,
    pub brotli_module: PathBuf,
    pub mime_types: PathBuf,
}

impl NginxInstall {
    /// `$LBE_NGINX` or Debian's path; the module and MIME paths from what `nginx -V` says it
    /// was built with.
    pub fn find() -> Result<NginxInstall> {
        let bin = std::env::var("LBE_NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into());
        let version = std::process::Command::new(&bin)
            .arg("-V")
            .output()
            .map_err(|e| {
                Error(format!(
                    "cannot run nginx at {bin} (scripts/setup.sh installs it): {e}"
                ))
            })?;
        let version = String::from_utf8_lossy(&version.stderr).into_owned();
        let modules =
            build_option(&version, "modules-path").unwrap_or("/usr/lib/nginx/modules".into());
        let brotli_module = Path::new(&modules).join("ngx_http_brotli_static_module.so");
        ensure!(
            brotli_module.is_file(),
            "no {} (Debian: libnginx-mod-http-brotli-static; scripts/setup.sh installs it)",
            brotli_module.display()
        );
        let conf_path =
            build_option(&version, "conf-path").unwrap_or("/etc/nginx/nginx.conf".into());
        let mime_types = Path::new(&conf_path).with_file_name("mime.types");
        Ok(NginxInstall {
            bin,
            brotli_module,
            mime_types,
        })
    }
}

impl NginxInstall {
    /// The start of a private nginx.conf: modules, files under `dir`, and `http {` opened with
    /// deploy/nginx's `lbe-http.conf` included. The caller writes its servers and closes `http`.
    pub fn conf_head(&self, dir: &Path, deploy: &Path) -> String {
        format!(
            r#"load_module {brotli};
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {deploy}/lbe-http.conf;
"#,
            brotli = self.brotli_module.display(),
            mime = self.mime_types.display(),
            d = dir.display(),
            deploy = deploy.display(),
        )
    }
}

/// A `--name=value` of `nginx -V`.
fn build_option(version_output: &str, name: &str) -> Option<String> {
    version_output
        .split_whitespace()
        .find_map(|w| w.strip_prefix(&format!("--{name}=")))
        .map(str::to_string)
}
