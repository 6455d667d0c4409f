import { BanRecord, ModerationRepository, ViolationInput } from './ports';

/**
 * Violation scores from one store, bans from another. Used with MongoDB as the primary store and
 * USE_REDIS on: scores stay in Redis (shared by Gatehouse instances, hot path), while bans stay in
 * LibreChat's `logs` collection, because LibreChat reads bans only there, with or without Redis
 * (MB-17). Without this split a ban made by Gatehouse would never reach LibreChat's checkBan.
 */
export class SplitModerationRepository extends ModerationRepository {
  constructor(
    private readonly scores: ModerationRepository,
    private readonly bans: ModerationRepository,
  ) {
    super();
  }

  addViolation(input: ViolationInput): Promise<number> {
    return this.scores.addViolation(input);
  }

  getViolationScore(subject: string, type: string, now: Date): Promise<number> {
    return this.scores.getViolationScore(subject, type, now);
  }

  clearViolations(subject: string, type?: string): Promise<number> {
    return this.scores.clearViolations(subject, type);
  }

  putBan(ban: BanRecord): Promise<void> {
    return this.bans.putBan(ban);
  }

  findActiveBan(subjects: string[], now: Date): Promise<BanRecord | null> {
    return this.bans.findActiveBan(subjects, now);
  }

  listActiveBans(now: Date): Promise<BanRecord[]> {
    return this.bans.listActiveBans(now);
  }

  liftBan(subject: string): Promise<boolean> {
    return this.bans.liftBan(subject);
  }

  /** Each side sweeps what it holds; the scores store's bans (none are written there) too. */
  async deleteExpired(now: Date): Promise<number> {
    const [scores, bans] = await Promise.all([this.scores.deleteExpired(now), this.bans.deleteExpired(now)]);
    return scores + bans;
  }
}
