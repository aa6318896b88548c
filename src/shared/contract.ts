/**
 * The one typed contract between the renderer and the services: every method (argument schema +
 * result type) and every pushed event. Electron IPC (preload) and the WebSocket bridge both implement
 * `CausewayApi`; the services implement `ApiHandlers`. Adding a method here makes every transport and
 * the services fail to typecheck until they handle it.
 */
import type { z } from 'zod';
import type {
  AppInfo,
  BuildEstimate,
  ChannelDetail,
  CompareRow,
  CreateProjectResult,
  FileListing,
  GraphDto,
  HistoryEntry,
  HistoryState,
  JobDoneEvent,
  JobFailedEvent,
  JobProgressEvent,
  ProjectInfo,
  ProjectPreview,
  QueryResult,
  RankingsDto,
  RecentProject,
} from './dto.js';
import type { AnalysisProgressEvent, AnalysisResults } from './analysis.js';
import type { PropertiesProgressEvent, PropertiesResults } from './properties.js';
import type { ReportResults } from './report.js';
import { argsSchemas } from './schemas.js';

export { argsSchemas };

/** What each method resolves to. */
export interface Results extends AnalysisResults, ReportResults, PropertiesResults {
  'app.info': AppInfo;
  /** The chosen path, or null when the user cancelled (or the host has no picker). */
  'app.pickPath': string | null;
  /** One folder under the web mode's browser roots (home, bundled demos). */
  'files.list': FileListing;
  /** Changes the open project's preprocessing; its build is set aside (build again). */
  'projects.setPreprocessing': ProjectInfo;
  'projects.preview': ProjectPreview;
  'projects.create': CreateProjectResult;
  'projects.open': ProjectInfo;
  'projects.openDemo': ProjectInfo;
  'projects.recent': RecentProject[];
  'projects.current': ProjectInfo | null;
  'projects.close': null;
  'build.start': { jobId: string };
  'build.cancel': { cancelled: boolean };
  /** About how long a build with these settings takes here, before it starts. */
  'build.estimate': BuildEstimate;
  'graph.get': GraphDto;
  'graph.channel': ChannelDetail;
  'query.run': QueryResult;
  'query.verify': HistoryEntry;
  'interventions.list': HistoryState;
  'interventions.undo': HistoryState;
  'interventions.redo': HistoryState;
  'interventions.apply': HistoryState;
  'interventions.delete': HistoryState;
  'rankings.get': RankingsDto;
  /** Starts the evaluation job (true ablation, criteria, curves); progress as job events. */
  'rankings.evaluate': { jobId: string };
  /** About how long the evaluation takes here with these settings, before it starts. */
  'rankings.estimate': BuildEstimate;
  'compare.get': CompareRow[];
}

/** Events pushed from main to every renderer. */
export interface Events {
  'job.progress': JobProgressEvent;
  'job.done': JobDoneEvent;
  'job.failed': JobFailedEvent;
  /** The open project changed (opened, closed, rebuilt), possibly from another window. */
  'project.changed': ProjectInfo | null;
  'history.changed': HistoryState;
  /** A menu item asked for an app action (Electron's menu; the renderer runs it like a shortcut). */
  'app.command': { action: string };
  'analysis.progress': AnalysisProgressEvent;
  'properties.progress': PropertiesProgressEvent;
}

export type MethodName = keyof typeof argsSchemas;
export type EventName = keyof Events;

export const methodNames = Object.keys(argsSchemas) as MethodName[];
export const eventNames: readonly EventName[] = ['job.progress', 'job.done', 'job.failed', 'project.changed', 'history.changed', 'app.command', 'analysis.progress', 'properties.progress'];

export type ArgsOf<M extends MethodName> = z.input<(typeof argsSchemas)[M]>;
/** Arguments after validation (defaults filled in). */
export type ParsedArgsOf<M extends MethodName> = z.output<(typeof argsSchemas)[M]>;

// Methods whose arguments may be left out take an optional argument.
type Call<A, R> = undefined extends A ? (args?: A) => Promise<R> : (args: A) => Promise<R>;

export type Listener<E extends EventName> = (payload: Events[E]) => void;

/** What the renderer holds: one function per method, plus event subscription. */
export type CausewayApi = { [M in MethodName]: Call<ArgsOf<M>, Results[M]> } & {
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
};

/** What the services implement: one handler per method, given validated arguments. */
export type ApiHandlers = { [M in MethodName]: Call<ParsedArgsOf<M>, Results[M]> };

/** How services push events, whatever the transport. */
export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;

// Check at compile time that every method has a result type and vice versa.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const _contractComplete: Same<MethodName, keyof Results> = true;
