export { buildController, type Controller, type ControllerDeps, type ControllerSettings } from './app.js';
export { loadConfig, controllerEnvSchema, type ControllerEnv } from './config.js';
