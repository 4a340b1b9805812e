"""The classroom's own small pages: sign-in and signed-out (plain HTML, no external assets)."""

from __future__ import annotations

import html

_STYLE = """
body { background: #0c181f; color: #e8eef2; font-family: "Roboto Mono", monospace;
       display: flex; align-items: center; justify-content: center; min-height: 90vh; }
main { background: #12232d; padding: 2em 2.5em; max-width: 30em; }
h1 { font-size: 1.4em; margin-top: 0; }
label { display: block; margin: 1em 0 0.4em; }
input { font: inherit; font-size: 1.2em; padding: 0.4em; width: 100%; box-sizing: border-box;
        letter-spacing: 0.1em; }
button { font: inherit; margin-top: 1.2em; padding: 0.6em 1.6em; background: #5e0ba7;
         color: #fff; border: none; cursor: pointer; }
.error { color: #ffb4a8; }
.note { color: #9fb3bf; font-size: 0.85em; }
""".strip()


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def sign_in_page(error: str = "") -> str:
    """The sign-in form: the personal code from the trainer."""
    problem = f'<p class="error" role="alert">{html.escape(error)}</p>\n' if error else ""
    return _page("calmline classroom: sign in", f"""<h1>calmline classroom</h1>
{problem}<form method="post" action="/signin">
<label for="code">Your sign-in code (from your trainer)</label>
<input id="code" name="code" autocomplete="off" autocapitalize="none" spellcheck="false"
       maxlength="64" placeholder="abcd-efgh-jkmn" autofocus required>
<button type="submit">Sign in</button>
</form>
<p class="note">You stay signed in on this browser until the session ends or you sign
out. Your code is personal: it records your results under your name.</p>""")


def message_page(title: str, text: str) -> str:
    """A short page saying one thing (signed out, too many sessions...)."""
    return _page(f"calmline classroom: {title}",
                 f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>\n"
                 "<p><a href=\"/signin\" style=\"color:#c9a3ff\">Sign in</a></p>")
