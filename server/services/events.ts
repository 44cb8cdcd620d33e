/**
 * In-process domain events, emitted by services only after their transaction commits. The
 * realtime layer subscribes and fans out; services never touch sockets.
 */
import { EventEmitter } from 'node:events';
import type { StageView } from './stage.service.js';

export interface DomainEvents {
  /** Anything live views show changed; `revision` is the contest's new revision. */
  'contest.changed': { contestId: number; slug: string; revision: number; reason: string };
  'score.recorded': {
    contestId: number;
    slug: string;
    revision: number;
    roundId: number;
    projectId: number;
    judgeId: number;
    version: number;
    /** The stage as this score's transaction left it (read before its commit): what screens show next. */
    stage: StageView;
  };
  'stage.changed': { contestId: number; slug: string; revision: number };
  'judge.seen': { contestId: number; judgeId: number; at: string };
  /** A judge's link was revoked or re-issued: their open sockets must go. */
  'judge.revoked': { contestId: number; judgeId: number };
  /** An organizer account was disabled: their open sockets must go. */
  'organizer.disabled': { userId: number };
}

export type EventName = keyof DomainEvents;

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: DomainEvents[E]): void {
    this.emitter.emit(name, payload);
  }

  on<E extends EventName>(name: E, listener: (payload: DomainEvents[E]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
