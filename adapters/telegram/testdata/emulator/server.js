'use strict';
// Starts the telegram-test-api Bot API emulator on a free loopback port for
// the adapters/telegram tests. It prints "listening <port>" once it accepts
// connections and exits when its stdin closes, so it never outlives the test
// process that started it.
const TelegramServer = require('telegram-test-api');

async function main() {
  // storeTimeout: keep unread messages for the whole test run.
  const server = new TelegramServer({ host: '127.0.0.1', port: 1, storeTimeout: 3600 });
  // The constructor turns port 0 into 9000; ask the OS for a free port instead.
  server.config.port = 0;
  await server.start();
  process.stdout.write(`listening ${server.server.address().port}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

// The emulator posts webhook updates without awaiting them; a refused post
// (a test checking the webhook's 401) must not take the emulator down.
process.on('unhandledRejection', (err) => {
  process.stderr.write(`emulator: ${err && err.message}\n`);
});

main().catch((err) => {
  process.stderr.write(`emulator: ${err && err.stack}\n`);
  process.exit(1);
});
