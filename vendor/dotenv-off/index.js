// natural calls config() on import (lib/natural/util/storage/*.js); it must neither read ./.env nor print.
const parsed = {};
const config = () => ({ parsed });
module.exports = { config, configDotenv: config, parse: () => ({}), populate: () => ({}) };
