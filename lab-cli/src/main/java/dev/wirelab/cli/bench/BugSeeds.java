package dev.wirelab.cli.bench;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which built-in seeds of a zoo bug's target find the bug on their own, unmutated: each is run once
 * on the zoo guest with the standard oracles. A time-to-find that starts from such a seed measures
 * the corpus, not the fuzzer, and the table says so.
 */
final class BugSeeds {
    private BugSeeds() {
    }

    static List<String> findingTheBug(ZooBug bug) {
        GuestProfile profile = GuestProfile.zoo(bug.id);
        Oracles oracles = Oracles.standard(profile);
        List<String> names = new ArrayList<>();
        try (FuzzLab lab = FuzzLab.open(profile, bug.target, ExecSettings.defaults())) {
            for (Map.Entry<String, FuzzInput> seed : Seeds.forTarget(bug.target).entrySet()) {
                Optional<Finding> f = oracles.check(lab.execute(seed.getValue()), lab.lab());
                if (f.isPresent() && bug.matches(f.get().title())) {
                    names.add(seed.getKey());
                }
            }
        }
        return names;
    }
}
