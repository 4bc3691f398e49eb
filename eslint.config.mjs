// ESLint for the web app (./task lint): the recommended rules, browser globals, ES modules.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["services/gateway/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["services/gateway/web/pcm-worklet.js"],
    languageOptions: { globals: { ...globals.audioWorklet } },
  },
];
