#!/usr/bin/env bash
# `make wheels`: each addon as a wheel built by OCA's backend (whool: name odoo-addon-<addon>,
# version from the manifest), then installed without dependencies in a throwaway virtual
# environment, checking that each addon lands under odoo/addons/ as pip deployments expect.
set -euo pipefail
cd "$(dirname "$0")/.."
addons=(fusion_accounting_core fusion_accounting fusion_accounting_followup)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf dist

"$python" -m venv "$work/build"
"$work/build/bin/pip" install --quiet --disable-pip-version-check build
for addon in "${addons[@]}"; do
  "$work/build/bin/python" -m build --wheel --outdir dist "$addon" >"$work/build-$addon.log" 2>&1 \
    || { cat "$work/build-$addon.log"; echo "wheels: building $addon failed"; exit 1; }
done

"$python" -m venv "$work/target"
"$work/target/bin/pip" install --quiet --disable-pip-version-check --no-deps dist/*.whl
site=$("$work/target/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
for addon in "${addons[@]}"; do
  wheel=$(ls dist/odoo_addon_"${addon}"-*.whl)
  [ -f "$site/odoo/addons/$addon/__manifest__.py" ] || { echo "wheels: $addon is not under odoo/addons/"; exit 1; }
  echo "wheels: $(basename "$wheel") installs $addon under odoo/addons/"
done
