package dev.wirelab.fuzz.finding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code DIR/findings/<id>/}, one directory per unique finding title. A directory appears
 * complete or not at all: its files are written and fsynced in {@code .staging-<id>/}, which is
 * then renamed to {@code <id>} in one step; staging left by a killed run is removed on open. The
 * id is derived from the title alone, so the same bug found again (in this run or a later one on
 * the same {@code --out}) is recognised and not stored twice.
 */
public final class FindingStore {
    static final String STAGING = ".staging-";
    private final Path dir;

    private FindingStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating it) {@code out/findings}; fails with one clear message when it cannot be written. */
    public static FindingStore open(Path out) {
        Path dir = out.resolve("findings");
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, STAGING + "*")) {
                for (Path p : ds) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new FindingStoreException("cannot use " + dir + " for findings: " + reason(e)
                    + " (choose a writable --out)", e);
        }
        return new FindingStore(dir);
    }

    public Path directory() {
        return dir;
    }

    /** A stable, readable directory name for {@code title}: a slug and 8 hex digits of its SHA-256. */
    public static String idFor(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 48) {
            slug = slug.substring(0, 48).replaceAll("-+$", "");
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(title.getBytes(StandardCharsets.UTF_8));
            return (slug.isEmpty() ? "finding" : slug) + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }

    /** True when a finding with this title is stored already. */
    public boolean has(String title) {
        return Files.isDirectory(dir.resolve(idFor(title)));
    }

    /** Number of stored findings. */
    public int count() {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Stores the finding under its title's id; empty when that title was stored already (by this
     * run or an earlier one).
     */
    public Optional<Path> save(String title, FindingFiles files) {
        String id = idFor(title);
        Path target = dir.resolve(id);
        if (Files.exists(target)) {
            return Optional.empty();
        }
        Path staging = dir.resolve(STAGING + id);
        try {
            deleteTree(staging);
            Files.createDirectory(staging);
            AtomicFiles.writeSynced(staging.resolve(FindingFiles.INPUT), files.input());
            if (files.repro() != null) {
                AtomicFiles.writeSynced(staging.resolve(FindingFiles.REPRO), files.repro().getBytes(StandardCharsets.UTF_8));
            }
            if (files.pkt() != null) {
                AtomicFiles.writeSynced(staging.resolve(FindingFiles.PKT), files.pkt().getBytes(StandardCharsets.UTF_8));
            }
            AtomicFiles.writeSynced(staging.resolve(FindingFiles.CAPTURE), files.capture());
            AtomicFiles.writeSynced(staging.resolve(FindingFiles.REPORT), files.report().getBytes(StandardCharsets.UTF_8));
            AtomicFiles.syncDirectory(staging);
            try {
                Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(staging);
                return Optional.empty(); // another worker stored the same title first
            }
            AtomicFiles.syncDirectory(dir);
            return Optional.of(target);
        } catch (IOException e) {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the staging name is cleaned on the next open
            }
            throw new FindingStoreException("cannot save finding '" + title + "' in " + dir + ": " + reason(e)
                    + " (findings already saved are intact)", e);
        }
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
