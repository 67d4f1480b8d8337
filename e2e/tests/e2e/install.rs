//! Installing the app and managing where it appears, as an administrator and as an editor
//! would do it from the app's own page.

use e2e::{ensure, frame_commands, rest_calls, wait_state, EmuOptions, Result, Session};
use serde_json::Value;

const BLOCKS: [u64; 6] = [101, 102, 103, 104, 105, 106];

fn bindings(state: &Value) -> Vec<(String, String, String)> {
    state["bindings"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|b| {
                    let f = |k: &str| b[k].as_str().unwrap_or_default().to_string();
                    (f("placement"), f("handler"), f("title"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The app's own list of bindings, from its application options.
fn recorded(state: &Value) -> Vec<String> {
    let text = state["app_options"]["bindings"].as_str().unwrap_or("[]");
    let list: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    list.as_array()
        .map(|l| {
            l.iter()
                .map(|b| b["placement"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn first_run_binds_every_block_and_an_admin_narrows_it_to_one_code() -> Result<()> {
    let opts = EmuOptions {
        extra_args: vec!["--fresh-install".into()],
        ..EmuOptions::default()
    };
    let s = Session::start("install_first_run", opts).await?;
    let r = first_run_body(&s).await;
    s.finish(r).await
}

async fn first_run_body(s: &Session) -> Result<()> {
    s.open_editor("").await?;
    let before = s.more_menu_titles(101).await?;
    ensure!(
        before.is_empty(),
        "a fresh app is already in a menu: {before:?}"
    );

    // First run: the app binds every block and finishes the installation by itself.
    s.open_app_page().await?;
    let note = s.wait_visible("#settings-note").await?.text().await?;
    ensure!(
        note.contains("Block editor"),
        "the first-run note says {note:?}"
    );
    let state = wait_state(&s.emu, "the installation to finish", |st| {
        if st["install_finished"] == Value::Bool(true) {
            Ok(())
        } else {
            Err("install_finished is still false".into())
        }
    })
    .await?;
    let handler = s.emu.app_url.clone();
    ensure!(
        bindings(&state)
            == vec![(
                "LANDING_BLOCK_*".into(),
                handler.clone(),
                "Block editor".into()
            )],
        "bindings after the first run: {:?} (handler should be {handler})",
        bindings(&state)
    );
    ensure!(
        frame_commands(&state, "setInstallFinish").len() == 1,
        "setInstallFinish sent {} times",
        frame_commands(&state, "setInstallFinish").len()
    );
    wait_state(&s.emu, "the app to record its binding", |st| {
        let r = recorded(st);
        if r == ["LANDING_BLOCK_*"] {
            Ok(())
        } else {
            Err(format!("recorded {r:?}"))
        }
    })
    .await?;
    let row = s
        .wait_visible("li.binding[data-placement='LANDING_BLOCK_*']")
        .await?
        .text()
        .await?;
    ensure!(
        !row.contains("outside the app"),
        "the binding the app made itself is marked as found: {row:?}"
    );
    s.click("#settings-close").await?;
    s.wait_slider_closed().await?;

    for id in BLOCKS {
        let titles = s.more_menu_titles(id).await?;
        ensure!(
            titles == ["Block editor"],
            "block {id}'s More menu: {titles:?}"
        );
    }

    // The app page again: no longer a first run, so it only lists.
    s.open_app_page().await?;
    s.wait_visible("li.binding[data-placement='LANDING_BLOCK_*']")
        .await?;
    let binds_so_far = rest_calls(&s.emu.state().await?, "landing.repo.bind").len();
    ensure!(
        binds_so_far == 1,
        "{binds_so_far} landing.repo.bind calls, want 1"
    );

    // A bad code is refused in the form, before any request.
    s.type_into("#bind-target", "04.1 title!").await?;
    s.click("#bind-add").await?;
    let problem = s.wait_visible(".field-error").await?.text().await?;
    ensure!(problem.contains("“ ”"), "the code error says {problem:?}");
    let binds_now = rest_calls(&s.emu.state().await?, "landing.repo.bind").len();
    ensure!(
        binds_now == binds_so_far,
        "an invalid code reached the portal"
    );

    // Bind one code (picked from the catalogue's list), then unbind every block.
    let listed = s
        .js("return Array.from(document.querySelectorAll('#block-catalogue option')).map(o => o.value);")
        .await?;
    ensure!(
        listed
            .as_array()
            .is_some_and(|l| l.iter().any(|v| v == "04.1.one_col_fix_with_title")
                && l.iter().any(|v| v == "repo_1")),
        "the catalogue offers {listed}"
    );
    s.type_into("#bind-target", "04.1.one_col_fix_with_title")
        .await?;
    s.type_into("#bind-title", "Edit the title").await?;
    s.click("#bind-add").await?;
    s.wait_visible("li.binding[data-placement='LANDING_BLOCK_04.1.one_col_fix_with_title']")
        .await?;
    s.click("li.binding[data-placement='LANDING_BLOCK_*'] .binding-remove")
        .await?;
    s.wait_hidden("li.binding[data-placement='LANDING_BLOCK_*']")
        .await?;
    let state = wait_state(&s.emu, "the app's list to follow", |st| {
        let r = recorded(st);
        if r == ["LANDING_BLOCK_04.1.one_col_fix_with_title"] {
            Ok(())
        } else {
            Err(format!("recorded {r:?}"))
        }
    })
    .await?;
    ensure!(
        bindings(&state)
            == vec![(
                "LANDING_BLOCK_04.1.ONE_COL_FIX_WITH_TITLE".into(),
                handler.clone(),
                "Edit the title".into()
            )],
        "bindings: {:?}",
        bindings(&state)
    );

    // Rename it: the portal has no update, so the app rebinds with the new title.
    let row = "li.binding[data-placement='LANDING_BLOCK_04.1.one_col_fix_with_title']";
    s.type_into(&format!("{row} input"), "Edit heading").await?;
    s.click(&format!("{row} .binding-rename")).await?;
    wait_state(&s.emu, "the new title", |st| {
        let b = bindings(st);
        if b.len() == 1 && b[0].2 == "Edit heading" {
            Ok(())
        } else {
            Err(format!("{b:?}"))
        }
    })
    .await?;

    s.click("#settings-close").await?;
    s.wait_slider_closed().await?;
    let first = s.more_menu_titles(101).await?;
    ensure!(first == ["Edit heading"], "block 101's menu: {first:?}");
    for id in &BLOCKS[1..] {
        let titles = s.more_menu_titles(*id).await?;
        ensure!(titles.is_empty(), "block {id} still lists {titles:?}");
    }
    // And the item opens the editor for that block.
    s.open_from_more_menu(101, "Edit heading").await?;
    s.wait_app_form().await?;
    s.wait_visible("#save").await?;
    Ok(())
}

#[tokio::test]
async fn an_editor_who_is_not_an_admin_cannot_change_bindings() -> Result<()> {
    let opts = EmuOptions {
        extra_args: vec!["--user".into(), "editor".into()],
        ..EmuOptions::default()
    };
    let s = Session::start("install_not_admin", opts).await?;
    let r = not_admin_body(&s).await;
    s.finish(r).await
}

async fn not_admin_body(s: &Session) -> Result<()> {
    s.open_editor("?lang=de").await?;
    s.open_app_page().await?;
    let notice = s.wait_visible("#admin-only").await?.text().await?;
    ensure!(
        notice.contains("Portaladministrator"),
        "the German notice says {notice:?}"
    );
    for control in [
        "#bind-add",
        "#bind-all",
        "#bind-target",
        ".binding-remove",
        "input",
    ] {
        ensure!(
            s.find_all(control).await?.is_empty(),
            "a non-admin sees {control}"
        );
    }
    let state = s.emu.state().await?;
    for method in [
        "landing.repo.bind",
        "landing.repo.unbind",
        "app.option.set",
        "batch",
    ] {
        ensure!(
            rest_calls(&state, method).is_empty(),
            "the page called {method} for a non-admin"
        );
    }
    ensure!(
        bindings(&state).len() == 1,
        "bindings changed: {:?}",
        bindings(&state)
    );
    Ok(())
}
