#!/usr/bin/env bash
# Renders the app icon (resources/icons/llm-gateway.svg) into the hicolor PNG sizes that the
# Linux package installs and the Windows .ico / macOS .icns are made from. Run it after changing
# the SVG and commit the results: the build does not depend on an SVG renderer.
# Needs librsvg2-bin (rsvg-convert); imagemagick for the .ico; png2icns or iconutil for .icns.
set -euo pipefail
cd "$(dirname "$0")/.."
svg=resources/icons/llm-gateway.svg
out=resources/icons/hicolor
for s in 16 22 24 32 48 64 128 256; do
  mkdir -p "$out/${s}x${s}/apps"
  rsvg-convert -w "$s" -h "$s" "$svg" -o "$out/${s}x${s}/apps/llm-gateway.png"
done
# Windows: one .ico with the sizes Explorer and the taskbar use.
if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
  convert "$out"/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/apps/llm-gateway.png \
    installer/windows/llm-gateway.ico
fi
echo "icons written to $out and installer/windows/llm-gateway.ico"
