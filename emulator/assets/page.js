// Parent side of the Bitrix24 frame protocol, as the Sites editor does it: the More menu,
// the side slider with a POST-loaded iframe, and answers to the app's frame commands.
(function () {
  'use strict';

  var cfg = {};
  try {
    cfg = JSON.parse(document.getElementById('emu-config').textContent || '{}');
  } catch (e) {
    cfg = {};
  }
  var langs = cfg.langs || ['en'];
  var lang = langs.indexOf(cfg.lang) >= 0 ? cfg.lang : 'en';
  // Denied inside a slider: dropped with no answer, like the portal.
  var DENIED = ['resizeWindow', 'fitWindow', 'setTitle', 'setScroll', 'reloadWindow'];

  var slider = document.getElementById('emu-slider');
  var sliderBody = slider.querySelector('.emu-slider-body');
  var sliderTitle = document.getElementById('emu-slider-title');
  var logList = document.getElementById('emu-log');
  var langSelect = document.getElementById('emu-lang');

  // The open application: {sid, origin, frame, open, auth, form, opener}.
  var current = null;

  function api(path, body) {
    var init = { method: 'GET', cache: 'no-store' };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try {
          data = t ? JSON.parse(t) : null;
        } catch (e) {
          data = null;
        }
        if (!r.ok) {
          throw new Error(path + ': HTTP ' + r.status + (data && data.error ? ' ' + data.error : ''));
        }
        return data;
      });
    });
  }

  // ---- command log -------------------------------------------------------------------------
  function addLog(command, params, cls) {
    var li = document.createElement('li');
    if (cls !== 'emu-ignored') {
      li.setAttribute('data-command', command);
    }
    if (cls) {
      li.className = cls;
    }
    var code = document.createElement('code');
    code.textContent = command;
    li.appendChild(code);
    var text = '';
    if (params !== undefined && params !== null && params !== '') {
      text = typeof params === 'string' ? params : JSON.stringify(params);
    }
    if (text.length > 300) {
      text = text.slice(0, 300) + '\u2026';
    }
    if (text) {
      li.appendChild(document.createTextNode(' ' + text));
    }
    logList.appendChild(li);
    var side = logList.parentElement;
    side.scrollTop = side.scrollHeight;
  }

  // ---- language ----------------------------------------------------------------------------
  langSelect.value = lang;
  langSelect.addEventListener('change', function () {
    if (langs.indexOf(langSelect.value) >= 0) {
      lang = langSelect.value;
      var url = new URL(location.href);
      url.searchParams.set('lang', lang);
      history.replaceState(null, '', url.toString());
    }
  });

  // ---- More menus --------------------------------------------------------------------------
  function closeMenus(except) {
    document.querySelectorAll('.emu-menu').forEach(function (menu) {
      if (menu === except) {
        return;
      }
      menu.hidden = true;
      var bar = menu.closest('.emu-toolbar');
      if (bar) {
        bar.classList.remove('emu-open');
        var btn = bar.querySelector('.emu-more');
        if (btn) {
          btn.setAttribute('aria-expanded', 'false');
        }
      }
    });
  }

  function fillMenu(menu, blockId, items) {
    menu.textContent = '';
    if (!items.length) {
      var empty = document.createElement('span');
      empty.className = 'emu-menu-empty';
      empty.textContent = 'No applications';
      menu.appendChild(empty);
      return;
    }
    items.forEach(function (it) {
      var a = document.createElement('a');
      a.className = 'emu-menu-item';
      a.setAttribute('role', 'menuitem');
      a.href = '#';
      a.setAttribute('data-block', blockId);
      a.setAttribute('data-handler', it.handler);
      a.setAttribute('data-placement', it.placement);
      a.textContent = it.title;
      menu.appendChild(a);
    });
  }

  function showMenu(bar, menu, more) {
    closeMenus(menu);
    menu.hidden = false;
    more.setAttribute('aria-expanded', 'true');
    bar.classList.add('emu-open');
    var first = menu.querySelector('.emu-menu-item');
    if (first) {
      first.focus();
    }
  }

  document.addEventListener('click', function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) {
      return;
    }
    var more = target.closest('.emu-more');
    if (more) {
      var bar = more.closest('.emu-toolbar');
      var menu = bar.querySelector('.emu-menu');
      if (!menu.hidden) {
        closeMenus();
        return;
      }
      var blockId = more.closest('.emu-block').getAttribute('data-id');
      // The items come from the portal each time: bindings change while the page is open.
      api('/_emulator/menu/' + blockId)
        .then(function (m) { fillMenu(menu, blockId, m.items || []); })
        .catch(function () {})
        .then(function () { showMenu(bar, menu, more); });
      return;
    }
    if (target.closest('#emu-app-open')) {
      closeMenus();
      openApp(null, cfg.app && cfg.app.handler, 'DEFAULT', target.closest('#emu-app-open'));
      return;
    }
    var item = target.closest('.emu-menu-item');
    if (item) {
      ev.preventDefault();
      var opener = item.closest('.emu-toolbar').querySelector('.emu-more');
      closeMenus();
      openApp(item.getAttribute('data-block'), item.getAttribute('data-handler'),
        item.getAttribute('data-placement'), opener);
      return;
    }
    if (!target.closest('.emu-menu')) {
      closeMenus();
    }
  });

  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape') {
      return;
    }
    var openMenu = document.querySelector('.emu-menu:not([hidden])');
    if (openMenu) {
      var btn = openMenu.closest('.emu-toolbar').querySelector('.emu-more');
      closeMenus();
      if (btn) {
        btn.focus();
      }
    } else if (current) {
      closeSlider();
    }
  });

  // ---- slider ------------------------------------------------------------------------------
  function closeSlider() {
    var s = current;
    current = null;
    if (s && s.form) {
      s.form.remove();
    }
    slider.hidden = true;
    sliderBody.textContent = '';
    sliderTitle.textContent = '';
    if (s && s.opener && document.contains(s.opener)) {
      s.opener.focus();
    }
  }

  slider.querySelector('.emu-slider-close').addEventListener('click', closeSlider);
  slider.querySelector('.emu-slider-overlay').addEventListener('click', closeSlider);

  function openApp(blockId, handler, placement, opener) {
    if (current) {
      closeSlider();
    }
    var request = placement === 'DEFAULT'
      ? { app: true, lang: lang }
      : { block: blockId, handler: handler, placement: placement, lang: lang };
    return api('/_emulator/open', request)
      .then(function (o) {
        var origin = new URL(o.handler, location.href).origin;
        // window.name as the portal sets it: "<host:port>|<0 http, 1 https>|<APP_SID>".
        var name = o.domain + '|' + o.protocol + '|' + o.app_sid;
        var frame = document.createElement('iframe');
        frame.id = 'emu-slider-frame';
        frame.name = name;
        frame.title = o.title;
        sliderBody.textContent = '';
        sliderBody.appendChild(frame);
        sliderTitle.textContent = o.title;
        slider.hidden = false;

        var form = document.createElement('form');
        form.method = 'POST';
        form.target = name;
        form.hidden = true;
        var query = 'DOMAIN=' + encodeURIComponent(o.domain) + '&PROTOCOL=' + o.protocol +
          '&LANG=' + encodeURIComponent(o.lang) + '&APP_SID=' + encodeURIComponent(o.app_sid);
        form.action = o.handler + (o.handler.indexOf('?') >= 0 ? '&' : '?') + query;
        var fields = {
          AUTH_ID: o.auth_id,
          AUTH_EXPIRES: String(o.auth_expires),
          REFRESH_ID: o.refresh_id,
          member_id: o.member_id,
          status: o.status,
          PLACEMENT: o.placement_post,
          PLACEMENT_OPTIONS: o.placement_options,
          APPLICATION_SCOPE: o.application_scope
        };
        Object.keys(fields).forEach(function (k) {
          var input = document.createElement('input');
          input.type = 'hidden';
          input.name = k;
          input.value = fields[k];
          form.appendChild(input);
        });
        document.body.appendChild(form);

        current = {
          sid: o.app_sid,
          origin: origin,
          frame: frame,
          open: o,
          form: form,
          opener: opener,
          auth: { AUTH_ID: o.auth_id, AUTH_EXPIRES: o.auth_expires, REFRESH_ID: o.refresh_id }
        };
        form.submit();
        slider.querySelector('.emu-slider-close').focus();
      })
      .catch(function (e) {
        addLog('open failed: ' + (e && e.message ? e.message : String(e)), null, 'emu-ignored');
      });
  }

  // ---- frame protocol ----------------------------------------------------------------------
  function parseParams(raw) {
    if (raw === '' || raw === null || raw === undefined) {
      return null;
    }
    try {
      return JSON.parse(raw);
    } catch (e) {
      return raw;
    }
  }

  // "<command>:<JSON, may contain ':' or be empty>:<callback>:<APP_SID>" or
  // {method, params, callback, appSid}.
  function parseMessage(data) {
    if (typeof data === 'string') {
      var parts = data.split(':');
      if (parts.length < 2) {
        return null;
      }
      var msg = { command: parts[0], params: null, callback: '', sid: parts[parts.length - 1] };
      if (parts.length >= 3) {
        msg.callback = parts[parts.length - 2];
        msg.params = parseParams(parts.slice(1, parts.length - 2).join(':'));
      }
      return msg;
    }
    if (data && typeof data === 'object' && typeof data.method === 'string') {
      var p = data.params;
      return {
        command: data.method,
        params: typeof p === 'string' ? parseParams(p) : (p === undefined ? null : p),
        callback: data.callback === undefined || data.callback === null ? '' : String(data.callback),
        sid: data.appSid === undefined || data.appSid === null ? '' : String(data.appSid)
      };
    }
    return null;
  }

  function answer(s, callback, data) {
    if (!callback || current !== s || !s.frame.contentWindow) {
      return;
    }
    s.frame.contentWindow.postMessage(callback + ':' + (data === undefined ? '' : JSON.stringify(data)), s.origin);
  }

  function initData(s) {
    var o = s.open;
    return {
      LANG: o.lang,
      DOMAIN: o.domain,
      PROTOCOL: o.protocol,
      PATH: '/rest',
      AUTH_ID: s.auth.AUTH_ID,
      AUTH_EXPIRES: s.auth.AUTH_EXPIRES,
      REFRESH_ID: s.auth.REFRESH_ID,
      MEMBER_ID: o.member_id,
      FIRST_RUN: !!o.first_run,
      IS_ADMIN: !!o.is_admin,
      INSTALL: !!o.install,
      USER_OPTIONS: {},
      APP_OPTIONS: o.app_options || {},
      PLACEMENT: o.placement,
      PLACEMENT_OPTIONS: o.placement_options_obj
    };
  }

  function refreshBlock(s, msg) {
    var p = msg.params;
    var id = p && typeof p === 'object' ? p.id : undefined;
    if (typeof id === 'number') {
      id = String(id);
    }
    if (typeof id !== 'string' || !/^\d+$/.test(id.trim())) {
      return;
    }
    id = id.trim();
    var block = document.querySelector('.emu-block[data-id="' + id + '"]');
    if (!block) {
      return; // not on this page: the editor never answers
    }
    api('/_emulator/block/' + id).then(function (b) {
      if (!b || b.refresh_block === 'ignore') {
        return;
      }
      block.querySelector('.emu-block-content').innerHTML = b.content;
      answer(s, msg.callback, {});
    }).catch(function () {});
  }

  function handle(s, msg) {
    var denied = DENIED.indexOf(msg.command) >= 0;
    addLog(msg.command, msg.params, denied ? 'emu-denied' : '');
    api('/_emulator/log', { command: msg.command, params: msg.params, app_sid: s.sid }).catch(function () {});
    switch (msg.command) {
      case 'getInitData':
        // Faults are read live, so a retry after they are cleared gets its answer.
        api('/_emulator/faults').then(function (f) {
          if (!f || f.init_data !== 'ignore') {
            answer(s, msg.callback, initData(s));
          }
        }).catch(function () {
          answer(s, msg.callback, initData(s));
        });
        break;
      case 'refreshAuth':
        api('/_emulator/refresh-auth', { app_sid: s.sid, refresh_id: s.auth.REFRESH_ID }).then(function (r) {
          s.auth = { AUTH_ID: r.auth_id, AUTH_EXPIRES: r.auth_expires, REFRESH_ID: r.refresh_id };
          answer(s, msg.callback, s.auth);
        }).catch(function () {});
        break;
      case 'refreshBlock':
        refreshBlock(s, msg);
        break;
      case 'closeApplication':
        answer(s, msg.callback, {});
        closeSlider();
        break;
      case 'setInstallFinish':
      case 'setInstall':
        answer(s, msg.callback, {});
        break;
      case 'getInterface':
        answer(s, msg.callback, { command: ['refreshBlock'], event: [] });
        break;
      default:
        // Denied (resizeWindow, setTitle, …) or unknown: no answer.
        break;
    }
  }

  window.addEventListener('message', function (ev) {
    var s = current;
    if (!s || ev.source !== s.frame.contentWindow) {
      return; // not from the open app: dropped silently
    }
    var msg = ev.origin === s.origin ? parseMessage(ev.data) : null;
    if (!msg || msg.sid !== s.sid) {
      var what = typeof ev.data === 'string' ? ev.data.split(':')[0] : (ev.data && ev.data.method) || typeof ev.data;
      addLog('ignored ' + String(what).slice(0, 60) + ' (origin ' + ev.origin + ')', null, 'emu-ignored');
      return;
    }
    handle(s, msg);
  });

  // "?open=<block id>" opens that block's first app right away, "?open=app" the app's own
  // page (handy while developing).
  var openParam = new URL(location.href).searchParams.get('open');
  if (openParam === 'app') {
    openApp(null, cfg.app && cfg.app.handler, 'DEFAULT', document.getElementById('emu-app-open'));
  } else if (openParam && /^\d+$/.test(openParam)) {
    var autoItem = document.querySelector('.emu-block[data-id="' + openParam + '"] .emu-menu-item');
    if (autoItem) {
      openApp(openParam, autoItem.getAttribute('data-handler'), autoItem.getAttribute('data-placement'),
        autoItem.closest('.emu-toolbar').querySelector('.emu-more'));
    }
  }
})();
