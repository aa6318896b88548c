/** Entry of `npm run serve`. */
import { serve } from './serve.js';

serve(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`causeway serve: ${error.message.split('\n')[0]}\n`);
  process.exit(1);
});
