// The entry point that rollup builds into dist/_df.js.
import { boot } from './boot.js';

boot();
