/**
 * The loopback receivers of the delivery bench, in a process of their own so their CPU is not the deliverer's:
 * a webhook endpoint that verifies every signature, and a real SMTP server. Sends `{webhook_url, smtp_url}` once
 * listening; answers `count` messages with what arrived.
 */
import { startFakeSmtpServer } from '../delivery/fake-smtp-server.js';
import { startFakeWebhookReceiver } from '../delivery/fake-webhook-receiver.js';

const secret = process.argv[2]!;
const webhook = await startFakeWebhookReceiver(secret, { keepBodies: false });
const smtp = await startFakeSmtpServer({ keepMessages: false });
process.send!({ webhook_url: webhook.url, smtp_url: smtp.url });
process.on('message', async (message: string) => {
  if (message === 'count') {
    const cpu = process.cpuUsage();
    process.send!({
      webhooks: webhook.received.length,
      rejected: webhook.rejected,
      mails: smtp.received.length,
      smtp_connections: smtp.connections,
      cpu_ms: (cpu.user + cpu.system) / 1000,
    });
  } else if (message === 'stop') {
    await webhook.close();
    await smtp.close();
    process.exit(0);
  }
});
