package dev.wirelab.cli.bench;

import dev.wirelab.cli.UserError;
import dev.wirelab.cli.Version;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code wirelab bench fuzz}: time-to-find on the bug zoo. The hook for the
 * fuzz campaign's own benchmark; its measurement lands with the fuzz targets.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Time to find each bug-zoo finding with the fuzz targets (lands with the fuzz targets).")
public final class BenchFuzzCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("bench fuzz: time-to-find needs the fuzz targets, which this build does not have yet "
                + "(run 'wirelab bench' for executions/s of the Lab-API loop)");
    }
}
