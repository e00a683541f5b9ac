package dev.wirelab.emulator.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the lab API may read and write files for a script: anywhere (trusted scripts, tests), or
 * only below a few folders (a sandboxed script: the working directory and the {@code --out}
 * folder). Narrowing is one way, so a script cannot widen what its runner allowed.
 */
record FilePolicy(List<Path> roots) {
    static final FilePolicy ANYWHERE = new FilePolicy(null);

    FilePolicy narrow(List<Path> to) {
        List<Path> norm = to.stream().map(FilePolicy::real).toList();
        if (roots == null) {
            return new FilePolicy(norm);
        }
        return new FilePolicy(norm.stream().filter(p -> roots.stream().anyMatch(p::startsWith)).toList());
    }

    /** The path with symbolic links resolved (a link in the working directory must not lead out of it). */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** {@code file}, when the policy allows it; else a {@link BadArgument} naming the file and the allowed folders. */
    Path check(Path file, String what) {
        if (roots == null) {
            return file;
        }
        Path abs = real(file);
        if (roots.stream().anyMatch(abs::startsWith)) {
            return abs;
        }
        throw new BadArgument(what + " " + file + " is outside the folders this sandboxed script may use ("
                + String.join(", ", roots.stream().map(Path::toString).toList())
                + "); copy it there, or run a script you trust with --trusted", ScriptLine.caller());
    }
}
