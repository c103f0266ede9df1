// Starts GraphiQL on the page the mock serves for a browser GET of a GraphQL
// path. Its settings (endpoint, default query, pre-filled headers) are the
// JSON in the data-config attribute of #graphiql.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var cfg = JSON.parse(root.getAttribute('data-config'));
  var fetch = GraphiQL.createFetcher({ url: cfg.endpoint });
  var defaults = cfg.headers ? JSON.parse(cfg.headers) : null;
  // GraphiQL loads the schema before its headers editor has a value, so
  // the pre-filled headers go with an introspection sent without any.
  var fetcher = function (params, opts) {
    var sent = opts && opts.headers;
    if (defaults && params && params.operationName === 'IntrospectionQuery' && (!sent || Object.keys(sent).length === 0)) {
      opts = Object.assign({}, opts, { headers: defaults });
    }
    return fetch(params, opts);
  };
  var props = {
    fetcher: fetcher,
    defaultQuery: cfg.defaultQuery,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  if (cfg.headers) {
    props.defaultHeaders = cfg.headers;
    props.defaultEditorToolsVisibility = 'headers';
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
