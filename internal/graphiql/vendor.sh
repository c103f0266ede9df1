#!/usr/bin/env bash
# Re-vendors GraphiQL's browser build into assets/ from the npm registry:
#   bash internal/graphiql/vendor.sh
# The versions are pinned here and in graphiql.go (Version); change both.
#
# graphiql 4.1.2 is the newest release that ships a standalone UMD build
# (graphiql.min.js, graphiql.min.css) usable without a bundler; graphiql 5
# ships only ES modules that import @graphiql/react and monaco-editor by bare
# name. Its UMD build expects React and ReactDOM as globals: React 19 has no
# UMD build, so React 18.3.1 (graphiql 4 accepts ^18 || ^19).
set -euo pipefail
cd "$(dirname "$0")"
GRAPHIQL=4.1.2
REACT=18.3.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for p in graphiql@$GRAPHIQL react@$REACT react-dom@$REACT; do
	name=${p%@*}
	mkdir -p "$tmp/$name"
	tar xzf "$tmp/$name-${p#*@}.tgz" -C "$tmp/$name"
done
rm -rf assets
mkdir -p assets
cp "$tmp/graphiql/package/graphiql.min.js" "$tmp/graphiql/package/graphiql.min.css" assets/
cp "$tmp/graphiql/package/LICENSE" assets/LICENSE.graphiql
cp "$tmp/react/package/umd/react.production.min.js" assets/
cp "$tmp/react/package/LICENSE" assets/LICENSE.react
cp "$tmp/react-dom/package/umd/react-dom.production.min.js" assets/
cp "$tmp/react-dom/package/LICENSE" assets/LICENSE.react-dom
cat > assets/README.md <<EOT
# Vendored GraphiQL

Copied unchanged from the npm packages by \`internal/graphiql/vendor.sh\`;
served by the mock from its binary (no CDN at run time).

| file | package | licence |
|---|---|---|
| graphiql.min.js, graphiql.min.css | graphiql@$GRAPHIQL (UMD build) | MIT, LICENSE.graphiql |
| react.production.min.js | react@$REACT (umd/) | MIT, LICENSE.react |
| react-dom.production.min.js | react-dom@$REACT (umd/) | MIT, LICENSE.react-dom |

SHA-256 of each file is in SHA256SUMS (checked by the package's tests).
EOT
(cd assets && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js LICENSE.* > SHA256SUMS)
echo "vendored graphiql@$GRAPHIQL, react@$REACT, react-dom@$REACT into $(pwd)/assets"
