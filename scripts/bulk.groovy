// A bulk transfer through the guest's echo service with the virtual wire's
// host TCP (10.0.2.2): send N bytes (args[0], default 256 KiB), read them all
// back, compare. Run: ./wirelab run scripts/bulk.groovy [BYTES]
import java.security.MessageDigest

boot()
size = args ? (args[0] as int) : 256 * 1024
data = new byte[size]
seed = 12345L                                   // deterministic content, no host randomness
for (int i = 0; i < size; i++) { seed = seed * 6364136223846793005L + 1442695040888963407L; data[i] = (byte) (seed >>> 56) }

c = net.connect(7)
net.established(c, ms(100))
c.send(data)
got = new ByteArrayOutputStream()
until(within: sec(30)) { got.write(c.read()); got.size() >= size || c.closed }
got.write(c.read())
check got.size() == size, "echoed ${got.size()} of ${size} bytes"
sha = { b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
check sha(got.toByteArray()) == sha(data), 'echoed bytes differ from the sent ones'
c.close()
until(within: sec(5)) { c.closed }
check lab.panic == null, 'no guest panic'
println "bulk: ${size} bytes echoed intact, sha256 ${sha(data).take(16)}..., at ${lab.time}"
