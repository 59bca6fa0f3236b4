# Sourced by .ci/run: puts the Node major named in .nvmrc first on PATH, installing it from the npm
# registry's node-linux-<arch> package when the machine's own node is older.
want=$(tr -d ' v\n' < .nvmrc)
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" != "$want" ]; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  node_home="${XDG_CACHE_HOME:-$HOME/.cache}/customer-statements/node-$want-$arch"
  if [ ! -x "$node_home/node_modules/node-linux-$arch/bin/node" ]; then
    echo "installing Node $want (node-linux-$arch) into $node_home"
    mkdir -p "$node_home"
    npm install --prefix "$node_home" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@$want" >/dev/null
  fi
  export PATH="$node_home/node_modules/node-linux-$arch/bin:$PATH"
fi
echo "node $(node -v), npm $(npm -v)"
