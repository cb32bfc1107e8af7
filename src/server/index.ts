export { FastMCP, type FastMCPOptions, type RunOptions, type HttpHandle } from "./fastmcp.js";
export { combineLifespans, type Lifespan } from "./lifespan.js";
export { readEnvSettings, type EnvSettings, type ServerLogLevel } from "./settings.js";
export { whileCliLoading } from "./cli-loading.js";
