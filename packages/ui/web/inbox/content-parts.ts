/**
 * A message's content is in its source's own format (Messenger, WhatsApp Cloud API, Twilio,
 * Business Messages, Viber, the chat plugin, custom sources). These functions read the common
 * shapes into parts the inbox can show; anything else is shown as its JSON.
 */

export type ContentPart =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string; alt: string }
  | { kind: 'file'; url: string; name: string; mediaType: string }
  | { kind: 'postback'; title: string }
  | { kind: 'template'; title: string; text: string; buttons: string[] }
  | { kind: 'unknown'; json: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Only http(s) URLs are shown as links or images. */
const url = (v: unknown): string | undefined => {
  const s = str(v);
  return s !== undefined && /^https?:\/\//i.test(s) ? s : undefined;
};

function attachment(type: string, link: string | undefined, name: string | undefined): ContentPart | undefined {
  if (link === undefined) return undefined;
  if (type === 'image' || type === 'sticker') return { kind: 'image', url: link, alt: name ?? 'image' };
  return { kind: 'file', url: link, name: name ?? link.split('/').pop() ?? type, mediaType: type };
}

function buttonsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap((b) => (isObject(b) ? [str(b.title) ?? str(b.text) ?? str((b.reply as Json | undefined)?.title) ?? ''] : [])).filter((t) => t !== '') : [];
}

/** Messenger-style `{ type, payload }` attachments (inbound and outbound). */
function messengerAttachment(a: Json): ContentPart | undefined {
  const type = str(a.type) ?? 'file';
  const payload = isObject(a.payload) ? a.payload : {};
  if (type === 'template') {
    const elements = Array.isArray(payload.elements) ? payload.elements.filter(isObject) : [];
    const first = elements[0] ?? {};
    return { kind: 'template', title: str(first.title) ?? str(payload.template_type) ?? 'template', text: str(payload.text) ?? str(first.subtitle) ?? '', buttons: buttonsOf(payload.buttons ?? first.buttons) };
  }
  return attachment(type, url(payload.url), str(a.name) ?? str(payload.title));
}

export function contentParts(content: unknown): ContentPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  if (!isObject(content)) return [{ kind: 'unknown', json: JSON.stringify(content) }];
  // A Messenger messaging event (inbound): the message is inside.
  if (isObject(content.message) && content.postback === undefined) return contentParts(content.message);
  const parts: ContentPart[] = [];
  const push = (p: ContentPart | undefined) => p !== undefined && parts.push(p);
  // WhatsApp Cloud API: { type, text: { body } | image: { link, caption } | … }
  const type = str(content.type);
  if (type !== undefined && isObject(content[type])) {
    const inner = content[type] as Json;
    if (type === 'text') push(str(inner.body) === undefined ? undefined : { kind: 'text', text: inner.body as string });
    else if (type === 'template') push({ kind: 'template', title: str(inner.name) ?? 'template', text: '', buttons: [] });
    else if (type === 'button') push({ kind: 'postback', title: str(inner.text) ?? 'button' });
    else if (type === 'interactive') push({ kind: 'postback', title: str((inner.button_reply as Json | undefined)?.title) ?? str((inner.list_reply as Json | undefined)?.title) ?? 'reply' });
    else {
      push(attachment(type, url(inner.link) ?? url(inner.url), str(inner.filename) ?? str(inner.caption)));
      if (str(inner.caption) !== undefined) push({ kind: 'text', text: inner.caption as string });
    }
  }
  // { text } (chat plugin, Messenger, Business Messages, Telegram, Viber `{type:'text',text}`, custom)
  if (typeof content.text === 'string' && content.text !== '') push({ kind: 'text', text: content.text });
  // Twilio: { Body, MediaUrl[] }
  if (typeof content.Body === 'string' && content.Body !== '') push({ kind: 'text', text: content.Body });
  const media = Array.isArray(content.MediaUrl) ? content.MediaUrl : [];
  media.forEach((m, i) => push(attachment(String((content.MediaContentType as unknown[] | undefined)?.[i] ?? 'image').split('/')[0]!, url(m), undefined)));
  // Messenger: attachments[] inbound, attachment outbound; postbacks; quick replies.
  for (const a of Array.isArray(content.attachments) ? content.attachments.filter(isObject) : []) push(messengerAttachment(a));
  if (isObject(content.attachment)) push(messengerAttachment(content.attachment));
  if (isObject(content.postback)) push({ kind: 'postback', title: str(content.postback.title) ?? str(content.postback.payload) ?? 'postback' });
  if (isObject(content.quick_reply) && parts.length === 0) push({ kind: 'postback', title: str(content.quick_reply.payload) ?? 'quick reply' });
  // Business Messages: image.contentInfo.fileUrl, suggestionResponse; Viber: media / url.
  if (isObject(content.image) && isObject(content.image.contentInfo)) push(attachment('image', url(content.image.contentInfo.fileUrl), undefined));
  if (isObject(content.suggestionResponse)) push({ kind: 'postback', title: str(content.suggestionResponse.text) ?? 'suggestion' });
  if (type === 'picture' || type === 'file' || type === 'video') push(attachment(type === 'picture' ? 'image' : type, url(content.media), str(content.file_name)));
  if (parts.length === 0) parts.push({ kind: 'unknown', json: JSON.stringify(content) });
  return parts;
}

/** One line for the conversation list. */
export function previewText(content: unknown): string {
  const part = contentParts(content)[0];
  if (part === undefined) return '';
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'image':
      return '📷 Image';
    case 'file':
      return `📎 ${part.name}`;
    case 'postback':
      return `↩ ${part.title}`;
    case 'template':
      return `▦ ${part.title}`;
    default:
      return part.json.slice(0, 80);
  }
}

/** The content `messages.send` expects for a text reply on `source`. */
export function textContent(source: string, text: string): unknown {
  if (source === 'whatsapp') return { type: 'text', text: { body: text } };
  if (source.startsWith('twilio')) return { Body: text };
  if (source === 'viber') return { type: 'text', text };
  return { text };
}
