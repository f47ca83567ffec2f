#!/bin/sh
# Refresh the translation catalogs after changing user-facing strings (needs GNU gettext).
set -e
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l zh_Hans -l en --no-obsolete \
  --ignore=.venv --ignore=tests --ignore=scripts --ignore=artifacts --ignore=bench
.venv/bin/python scripts/po_fill_zh.py || echo "Translate the entries above in locale/zh_Hans/LC_MESSAGES/django.po"
.venv/bin/python manage.py compilemessages --ignore=.venv
