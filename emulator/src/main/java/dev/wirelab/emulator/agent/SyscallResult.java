package dev.wirelab.emulator.agent;

import java.util.List;

/**
 * What an agent reported for one call: the raw return value (x0: a value, or
 * -errno), the output regions read back from its buffer (in argument order),
 * and the instructions at which the call was handed out and reported.
 */
public record SyscallResult(int agent, Syscall call, long value, List<byte[]> outputs, long dispatchedAt,
                            long reportedAt) {
    public SyscallResult {
        outputs = copies(outputs); // one per reported call: a plain loop, no stream
    }

    private static List<byte[]> copies(List<byte[]> outputs) {
        byte[][] c = new byte[outputs.size()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = outputs.get(i).clone();
        }
        return List.of(c);
    }

    @Override
    public List<byte[]> outputs() {
        return copies(outputs);
    }

    public boolean isError() {
        return Errno.isError(value);
    }

    /** The decoded error, or null on success (or for an errno outside {@link Errno}'s table). */
    public Errno errno() {
        return Errno.ofResult(value);
    }

    /** Output 0 (recv: exactly the bytes received), or empty when the call has no output. */
    public byte[] data() {
        return outputs.isEmpty() ? new byte[0] : outputs.get(0).clone();
    }

    /** Output 0 as a sockaddr_in (accept, getsockname, getpeername); null on error. */
    public SockAddr address() {
        return isError() || outputs.isEmpty() ? null : SockAddr.decode(outputs.get(0));
    }

    /** Output 1 as a sockaddr_in: the sender of a {@link Syscall#recvfrom} datagram; null when absent. */
    public SockAddr source() {
        return isError() || outputs.size() < 2 ? null : SockAddr.decode(outputs.get(1));
    }

    /** Output 0 as a little-endian int (getsockopt). */
    public int intValue() {
        byte[] d = data();
        if (d.length < 4) {
            throw new IllegalStateException(call + " has no 4-byte output");
        }
        return Syscall.le32(d);
    }

    /** Output 0 as pollfds with their revents (ppoll). */
    public List<PollFd> pollfds() {
        return PollFd.decode(data());
    }

    /** The value, or an {@link AgentException} naming the call and the errno when it failed. */
    public long orThrow() {
        if (isError()) {
            throw new AgentException("agent " + agent + ": " + call + " failed: " + this);
        }
        return value;
    }

    @Override
    public String toString() {
        return isError() ? value + " (" + Errno.nameOf(value) + ")" : Long.toString(value);
    }
}
