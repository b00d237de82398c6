import { contentParts, type ContentPart } from './content-parts.js';

export { previewText } from './content-parts.js';

/** A message's content, part by part (text, images, files, postbacks, templates). */
export function MessageContent({ content }: { content: unknown }) {
  return (
    <div class="content">
      {contentParts(content).map((part, i) => (
        <Part key={i} part={part} />
      ))}
    </div>
  );
}

function Part({ part }: { part: ContentPart }) {
  switch (part.kind) {
    case 'text':
      return <p class="text">{part.text}</p>;
    case 'image':
      return (
        <a href={part.url} target="_blank" rel="noopener noreferrer">
          <img class="image" src={part.url} alt={part.alt} loading="lazy" />
        </a>
      );
    case 'file':
      return (
        <a class="file" href={part.url} target="_blank" rel="noopener noreferrer">
          📎 {part.name} <span class="muted">({part.mediaType})</span>
        </a>
      );
    case 'postback':
      return (
        <p class="postback">
          <span class="muted">Chose: </span>
          {part.title}
        </p>
      );
    case 'template':
      return (
        <div class="template" role="group" aria-label={`Template ${part.title}`}>
          <strong>{part.title}</strong>
          {part.text !== '' && <p>{part.text}</p>}
          {part.buttons.length > 0 && (
            <ul class="template-buttons">
              {part.buttons.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          )}
        </div>
      );
    default:
      return <pre class="raw">{part.json}</pre>;
  }
}
