import type { RecordMetadata } from '../../log/types.js';
import type { Cancellable, ProcessorContext, PunctuationType, Punctuator, TaskId } from '../processor-context.js';
import type { StreamRecord } from '../record.js';

/** What a node's context needs from its task. */
export interface TaskRuntime {
  readonly applicationId: string;
  readonly taskId: TaskId;
  forward(from: string, record: StreamRecord<unknown, unknown>, childName: string | undefined): void;
  getStateStore(from: string, name: string): unknown;
  schedule(from: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  recordMetadata(): RecordMetadata | null;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
}

/** The ProcessorContext of one node: every call is the task's, tagged with the node's name. */
export class NodeContext implements ProcessorContext<unknown, unknown> {
  readonly #task: TaskRuntime;
  readonly #node: string;

  constructor(task: TaskRuntime, nodeName: string) {
    this.#task = task;
    this.#node = nodeName;
  }

  get applicationId(): string {
    return this.#task.applicationId;
  }

  get taskId(): TaskId {
    return this.#task.taskId;
  }

  forward(record: StreamRecord<unknown, unknown>, childName?: string): void {
    this.#task.forward(this.#node, record, childName);
  }

  getStateStore<TStore>(name: string): TStore {
    return this.#task.getStateStore(this.#node, name) as TStore;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.#task.schedule(this.#node, intervalMs, type, punctuator);
  }

  recordMetadata(): RecordMetadata | null {
    return this.#task.recordMetadata();
  }

  currentStreamTimeMs(): number {
    return this.#task.currentStreamTimeMs();
  }

  currentSystemTimeMs(): number {
    return this.#task.currentSystemTimeMs();
  }
}
