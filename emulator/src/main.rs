use emulator::cli::{self, Parsed};
use emulator::server;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cfg = match cli::parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(cfg)) => *cfg,
        Ok(Parsed::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("emulator: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("emulator: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(run(cfg))
}

async fn run(cfg: cli::Config) -> ExitCode {
    let running = match server::start(cfg).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("emulator: {e}");
            return ExitCode::from(1);
        }
    };
    {
        let store = running.shared.lock();
        eprintln!(
            "emulator: page LID={} (site {}), blocks:",
            store.lid,
            emulator::store::SITE_ID
        );
        for b in &store.blocks {
            eprintln!("  {} {}", b.id, b.code);
        }
        for b in &store.bindings {
            eprintln!("emulator: {} -> {} ({})", b.placement, b.handler, b.title);
        }
    }
    // Only this line goes to stdout: tests and the dev script wait for it.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", running.ready_line());
    let _ = out.flush();
    drop(out);

    wait_for_signal().await;
    eprintln!("emulator: stopping");
    running.stop().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
