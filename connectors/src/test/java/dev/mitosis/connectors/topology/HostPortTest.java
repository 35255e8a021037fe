package dev.mitosis.connectors.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @Test
    void parsesHostNamesIpv4AndBracketedIpv6() {
        assertThat(HostPort.parse("broker-1.example:9092")).isEqualTo(new HostPort("broker-1.example", 9092));
        assertThat(HostPort.parse("127.0.0.1:1")).isEqualTo(new HostPort("127.0.0.1", 1));
        HostPort ipv6 = HostPort.parse("[::1]:65535");
        assertThat(ipv6).isEqualTo(new HostPort("::1", 65535));
        assertThat(ipv6.toString()).isEqualTo("[::1]:65535");
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> HostPort.parse("host")).hasMessage("has no port");
        assertThatThrownBy(() -> HostPort.parse(":1")).hasMessage("has no host");
        assertThatThrownBy(() -> HostPort.parse("a b:1")).hasMessage("has a bad host");
        assertThatThrownBy(() -> HostPort.parse("h:0")).hasMessage("has a port outside [1, 65535]");
        assertThatThrownBy(() -> HostPort.parse("h:65536")).hasMessage("has a port outside [1, 65535]");
        assertThatThrownBy(() -> HostPort.parse("h:x")).hasMessage("has a port outside [1, 65535]");
        assertThatThrownBy(() -> HostPort.parse("::1:9092")).hasMessage("has a bad host");
    }

    @Test
    void comparesHostNamesWithoutCase() {
        assertThat(new HostPort("Broker", 1).sameAs(new HostPort("broker", 1))).isTrue();
        assertThat(new HostPort("broker", 1).sameAs(new HostPort("broker", 2))).isFalse();
    }

    @Test
    void parsesAListTrimmingSpacesAfterCommas() {
        assertThat(HostPortList.parse("a:1, b:2")).containsExactly(new HostPort("a", 1), new HostPort("b", 2));
    }
}
