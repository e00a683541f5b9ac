package dev.wirelab.emulator.device;

import java.util.ArrayDeque;

/**
 * ARM PrimeCell UART (PL011), as on QEMU virt at 0x0900_0000, SPI 1.
 * Transmit is instantaneous (bytes go straight to the {@link Console}); receive
 * takes bytes from the console's input queue into a 16-entry FIFO (1 entry
 * with the FIFO disabled) as the guest drains it, so input timing depends only
 * on what the guest does.
 */
public final class Pl011 implements MmioDevice {
    // Register offsets (PL011 TRM, table 3-1).
    static final int UARTDR = 0x000;
    static final int UARTRSR = 0x004;
    static final int UARTFR = 0x018;
    static final int UARTILPR = 0x020;
    static final int UARTIBRD = 0x024;
    static final int UARTFBRD = 0x028;
    static final int UARTLCR_H = 0x02c;
    static final int UARTCR = 0x030;
    static final int UARTIFLS = 0x034;
    static final int UARTIMSC = 0x038;
    static final int UARTRIS = 0x03c;
    static final int UARTMIS = 0x040;
    static final int UARTICR = 0x044;
    static final int UARTDMACR = 0x048;
    static final int PERIPH_ID0 = 0xfe0;

    // Flag register bits.
    static final int FR_TXFE = 1 << 7;
    static final int FR_RXFF = 1 << 6;
    static final int FR_RXFE = 1 << 4;
    // Interrupt bits (RIS/MIS/IMSC/ICR).
    static final int INT_RX = 1 << 4;
    static final int INT_TX = 1 << 5;
    static final int INT_RT = 1 << 6;
    static final int LCR_FEN = 1 << 4;

    private static final int[] ID = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    private static final int FIFO_DEPTH = 16;

    private final long base;
    private final Console console;
    private final IrqLine irq;
    private final GuestLog log;
    private final ArrayDeque<Integer> rxFifo = new ArrayDeque<>();
    private int lcr, cr, ifls, imsc, ris, ibrd, fbrd, ilpr, dmacr, rsr;

    public Pl011(long base, Console console, IrqLine irq, GuestLog log) {
        this.base = base;
        this.console = console;
        this.irq = irq;
        this.log = log;
        console.onInput(this::refill);
        reset();
    }

    @Override
    public String name() {
        return "pl011";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return 0x1000;
    }

    @Override
    public long read(long offset, int size) {
        int off = (int) offset;
        if (off >= PERIPH_ID0 && off < 0x1000 && (off & 3) == 0) {
            return ID[(off - PERIPH_ID0) >> 2];
        }
        return switch (off) {
            case UARTDR -> readData();
            case UARTRSR -> rsr;
            case UARTFR -> flags();
            case UARTILPR -> ilpr;
            case UARTIBRD -> ibrd;
            case UARTFBRD -> fbrd;
            case UARTLCR_H -> lcr;
            case UARTCR -> cr;
            case UARTIFLS -> ifls;
            case UARTIMSC -> imsc;
            case UARTRIS -> ris;
            case UARTMIS -> ris & imsc;
            case UARTDMACR -> dmacr;
            default -> {
                log.error(name(), "read of unknown register at offset 0x" + Integer.toHexString(off));
                yield 0;
            }
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        int v = (int) value;
        switch ((int) offset) {
            case UARTDR -> {
                // QEMU transmits regardless of CR.UARTEN/TXE; so do we (early boot code relies on it).
                console.write(v & 0xff);
                ris |= INT_TX;
                update();
            }
            case UARTRSR -> rsr = 0; // write clears errors
            case UARTILPR -> ilpr = v & 0xff;
            case UARTIBRD -> ibrd = v & 0xffff;
            case UARTFBRD -> fbrd = v & 0x3f;
            case UARTLCR_H -> {
                if (((lcr ^ v) & LCR_FEN) != 0) {
                    rxFifo.clear(); // changing FIFO mode flushes, as on hardware
                }
                lcr = v & 0xff;
                refill();
            }
            case UARTCR -> cr = v & 0xffff;
            case UARTIFLS -> ifls = v & 0x3f;
            case UARTIMSC -> {
                imsc = v & 0x7ff;
                update();
            }
            case UARTICR -> {
                ris &= ~v;
                update();
            }
            case UARTDMACR -> dmacr = v & 7;
            default -> log.error(name(), "write of 0x" + Long.toHexString(value) + " to unknown/read-only offset 0x"
                    + Long.toHexString(offset));
        }
    }

    @Override
    public void reset() {
        rxFifo.clear();
        lcr = 0;
        cr = 0x300;
        ifls = 0x12;
        imsc = 0;
        ris = 0;
        ibrd = fbrd = ilpr = dmacr = rsr = 0;
        irq.set(false);
    }

    private int depth() {
        return (lcr & LCR_FEN) != 0 ? FIFO_DEPTH : 1;
    }

    private int flags() {
        int fr = FR_TXFE;
        if (rxFifo.isEmpty()) {
            fr |= FR_RXFE;
        }
        if (rxFifo.size() >= depth()) {
            fr |= FR_RXFF;
        }
        return fr;
    }

    private long readData() {
        Integer b = rxFifo.poll();
        refill();
        if (rxFifo.isEmpty()) {
            ris &= ~(INT_RX | INT_RT);
        }
        update();
        return b == null ? 0 : b;
    }

    private void refill() {
        while (rxFifo.size() < depth() && console.hasInput()) {
            rxFifo.add(console.takeInput());
        }
        if (!rxFifo.isEmpty()) {
            ris |= INT_RX;
        }
        update();
    }

    private void update() {
        irq.set((ris & imsc) != 0);
    }

    public State save() {
        return new State(rxFifo.stream().mapToInt(Integer::intValue).toArray(), lcr, cr, ifls, imsc, ris, ibrd, fbrd, ilpr,
                dmacr, rsr);
    }

    public void restore(State s) {
        if (s.rxFifo.length > FIFO_DEPTH) {
            throw new IllegalArgumentException("pl011 snapshot has " + s.rxFifo.length + " bytes in a 16-byte FIFO");
        }
        rxFifo.clear();
        for (int b : s.rxFifo) {
            rxFifo.add(b & 0xff);
        }
        lcr = s.lcr;
        cr = s.cr;
        ifls = s.ifls;
        imsc = s.imsc;
        ris = s.ris;
        ibrd = s.ibrd;
        fbrd = s.fbrd;
        ilpr = s.ilpr;
        dmacr = s.dmacr;
        rsr = s.rsr;
        update();
    }

    /** Everything a snapshot needs to bring the UART back. */
    public record State(int[] rxFifo, int lcr, int cr, int ifls, int imsc, int ris, int ibrd, int fbrd, int ilpr,
                        int dmacr, int rsr) { }
}
