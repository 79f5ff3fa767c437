export type EslErrorCode = 'TIMEOUT' | 'DISCONNECTED' | 'COMMAND_FAILED' | 'NOT_CONNECTED' | 'HANGUP';

export class EslError extends Error {
  constructor(
    readonly code: EslErrorCode,
    message: string,
    readonly node?: string,
  ) {
    super(message);
    this.name = 'EslError';
  }
}

export class EslTimeoutError extends EslError {
  constructor(what: string, ms: number, node?: string) {
    super('TIMEOUT', `${what} timed out after ${ms} ms`, node);
    this.name = 'EslTimeoutError';
  }
}

export class EslDisconnectedError extends EslError {
  constructor(what: string, node?: string) {
    super('DISCONNECTED', `${what}: connection lost`, node);
    this.name = 'EslDisconnectedError';
  }
}

export class EslNotConnectedError extends EslError {
  constructor(what: string, node?: string) {
    super('NOT_CONNECTED', `${what}: not connected`, node);
    this.name = 'EslNotConnectedError';
  }
}

export class EslCommandError extends EslError {
  constructor(
    what: string,
    readonly reply: string,
    node?: string,
  ) {
    super('COMMAND_FAILED', `${what} failed: ${reply}`, node);
    this.name = 'EslCommandError';
  }
}

export class EslHangupError extends EslError {
  constructor(what: string, node?: string) {
    super('HANGUP', `${what}: the call hung up`, node);
    this.name = 'EslHangupError';
  }
}
