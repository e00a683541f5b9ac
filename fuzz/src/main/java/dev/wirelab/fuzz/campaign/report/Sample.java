package dev.wirelab.fuzz.campaign.report;

/**
 * The campaign at one moment, for the report's plots and the status line.
 *
 * @param seconds      wall-clock seconds since the campaign started
 * @param execs        executions summed over all workers
 * @param execsPerSec  executions per second over the last sampling interval
 * @param coverage     the highest libFuzzer coverage any worker reported (guest edges + harness edges)
 * @param corpus       corpus entries on disk
 * @param findings     unique findings stored
 */
public record Sample(double seconds, long execs, double execsPerSec, long coverage, int corpus, int findings) {
}
