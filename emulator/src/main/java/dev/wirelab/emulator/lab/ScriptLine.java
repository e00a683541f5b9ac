package dev.wirelab.emulator.lab;

/**
 * Finds the script statement that called into the lab: the innermost stack
 * frame of a {@code .groovy} file, else the first frame outside this package
 * and the JDK (a JUnit test or fuzz target calling the API directly).
 */
public final class ScriptLine {
    private ScriptLine() { }

    /** "file.groovy:12" for the current thread's calling script line, or null. */
    public static String caller() {
        return of(new Throwable().getStackTrace());
    }

    /** The script line in {@code trace} (a script exception's stack), or null. */
    public static String of(StackTraceElement[] trace) {
        for (StackTraceElement e : trace) {
            String f = e.getFileName();
            if (f != null && f.endsWith(".groovy") && e.getLineNumber() > 0) {
                return f + ":" + e.getLineNumber();
            }
        }
        for (StackTraceElement e : trace) {
            String c = e.getClassName();
            if ("wirelab-prelude".equals(e.getFileName()) || c.startsWith(ScriptLine.class.getPackageName() + ".") && !c.matches(".*Test(\\$.*)?") || c.startsWith("java.") || c.startsWith("jdk.")
                    || c.startsWith("sun.") || c.startsWith("org.codehaus.groovy") || c.startsWith("groovy.")
                    || c.startsWith("org.apache.groovy") || c.startsWith("org.junit.") || e.getLineNumber() <= 0) {
                continue;
            }
            return e.getFileName() + ":" + e.getLineNumber();
        }
        return null;
    }

    /** The line number alone ({@code -1} when unknown), for a script named {@code fileName}. */
    public static int lineIn(Throwable t, String fileName) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (fileName.equals(e.getFileName()) && e.getLineNumber() > 0) {
                    return e.getLineNumber();
                }
            }
        }
        return -1;
    }
}
