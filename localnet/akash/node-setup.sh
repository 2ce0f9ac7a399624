#!/bin/sh
# Runs inside the Akash node container (see docker-compose.yml).
#   init:  akash init, writing /data/config/genesis.json for setup-genesis.py to tweak.
#   gentx: the validator key from the dev mnemonic (account 0), its gentx of 100,000 AKT,
#          collect-gentxs, and the node's config: gRPC, RPC and REST on all interfaces, 1 s
#          blocks, the minimum gas price the incentivesd client pays by default.
set -eu
HOME_DIR=/data
CHAIN_ID=akash-localnet-1
MNEMONIC="test test test test test test test test test test test junk"

# SDK 0.47+ chains group the genesis commands under `genesis`; older ones have them at the top.
if akash genesis --help >/dev/null 2>&1; then GENESIS="akash genesis"; else GENESIS="akash"; fi

case "${1:-}" in
init)
  akash init localnet --chain-id "$CHAIN_ID" --home "$HOME_DIR" --overwrite >/dev/null 2>&1 \
    || akash genesis init localnet --chain-id "$CHAIN_ID" --home "$HOME_DIR" --overwrite >/dev/null
  echo "wrote $HOME_DIR/config/genesis.json"
  ;;
gentx)
  echo "$MNEMONIC" | akash keys add validator --recover --keyring-backend test --home "$HOME_DIR"
  $GENESIS gentx validator 100000000000uakt --chain-id "$CHAIN_ID" --moniker localnet \
    --keyring-backend test --home "$HOME_DIR"
  $GENESIS collect-gentxs --home "$HOME_DIR" >/dev/null 2>&1 \
    || $GENESIS collect --home "$HOME_DIR" >/dev/null
  $GENESIS validate-genesis --home "$HOME_DIR" 2>/dev/null || $GENESIS validate --home "$HOME_DIR"
  config="$HOME_DIR/config/config.toml"
  app="$HOME_DIR/config/app.toml"
  sed -i 's#laddr = "tcp://127.0.0.1:26657"#laddr = "tcp://0.0.0.0:26657"#' "$config"
  sed -i 's#^timeout_commit = .*#timeout_commit = "1s"#' "$config"
  sed -i 's#^cors_allowed_origins = .*#cors_allowed_origins = ["*"]#' "$config"
  sed -i 's#^minimum-gas-prices = .*#minimum-gas-prices = "0.025uakt"#' "$app"
  sed -i 's#address = "localhost:9090"#address = "0.0.0.0:9090"#' "$app"
  sed -i 's#address = "tcp://localhost:1317"#address = "tcp://0.0.0.0:1317"#' "$app"
  sed -i '/^\[api\]/,/^\[/ s#^enable = false#enable = true#' "$app"
  echo "validator ready: $(akash keys show validator -a --keyring-backend test --home "$HOME_DIR")"
  ;;
*)
  echo "usage: node-setup.sh init|gentx" >&2
  exit 2
  ;;
esac
