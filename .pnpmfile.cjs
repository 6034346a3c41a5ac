// better-sqlite3 builds from source where its prebuilt binary cannot be downloaded. On
// machines that ship Node's headers under /usr (Debian's nodejs), node-gyp must be told
// to use them instead of fetching a header tarball; pnpm does not forward npm's nodedir.
const fs = require('node:fs');

module.exports = {
  hooks: {
    updateConfig(config) {
      if (fs.existsSync('/usr/include/node/node_api.h')) {
        config.extraEnv = { ...config.extraEnv, npm_config_nodedir: '/usr' };
      }
      return config;
    },
  },
};
