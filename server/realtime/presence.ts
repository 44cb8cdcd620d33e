/** Which judges have a live socket right now (counted per socket, so two tablets count once). */
export class Presence {
  private readonly sockets = new Map<number, number>();

  connect(judgeId: number): void {
    this.sockets.set(judgeId, (this.sockets.get(judgeId) ?? 0) + 1);
  }

  disconnect(judgeId: number): void {
    const n = (this.sockets.get(judgeId) ?? 1) - 1;
    if (n <= 0) this.sockets.delete(judgeId);
    else this.sockets.set(judgeId, n);
  }

  connected(): number[] {
    return [...this.sockets.keys()];
  }
}
