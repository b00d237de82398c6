/** Types of http-load-worker.mjs (plain JavaScript: a worker thread gets no TypeScript loader). */
export declare const sourceMessage: (
  n: number,
  conversations: number,
) => { source_message_id: string; source_conversation_id: string; source_channel_id: string; sent_at: number; content: { text: string }; from_contact: boolean };
