// `node --import ./dist/env-file-preload.js <script>`: the db commands see .env before their first line.
import { loadEnvFile } from "./env-file.js";

loadEnvFile();
