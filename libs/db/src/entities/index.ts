import { OutboxMessage } from './outbox-message.entity';

export { OutboxMessage };

/** Every entity, registered with the one DataSource. Add new entities here. */
export const entities = [OutboxMessage];
