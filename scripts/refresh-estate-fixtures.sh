#!/usr/bin/env bash
# Copies the upstream estate samples the tests read (response bodies from the Azure REST API
# specifications and an `az ml workspace show` sample) from the shared reference folder into
# tests/fixtures/estate/upstream/, unchanged. Their provenance is in
# tests/fixtures/estate/README.md. The crafted fixtures beside them are written by hand in the
# same shapes and are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir="${1:-../shared/reference/upstream/arm-examples}"
for file in workspace-get.json workspace-list-by-subscription.json az-ml-workspace-show.json \
  managed-network-outbound-rules-list.json private-endpoint-get.json private-dns-zone-get.json \
  private-dns-zone-virtual-network-link-get.json network-security-group-get.json \
  workspace-private-endpoint-connections-list.json; do
  cp "$source_dir/$file" "tests/fixtures/estate/upstream/$file"
done
echo "copied the upstream estate samples into tests/fixtures/estate/upstream/"
