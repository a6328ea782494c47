#!/usr/bin/env bash
# Brings the .ts files up to date with the sources: new strings are added as unfinished,
# strings gone from the code are dropped. German and Chinese get every string; English only
# the plural forms. Then translate (Qt Linguist: `linguist translations/llm-gateway_de.ts`).
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=${LUPDATE:-$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)}
"$lupdate" -locations relative -no-obsolete -extensions cpp,h app ui desktop \
  -ts translations/llm-gateway_de.ts translations/llm-gateway_zh_CN.ts
"$lupdate" -locations relative -no-obsolete -extensions cpp,h -pluralonly app ui desktop \
  -ts translations/llm-gateway_en.ts
