package ucarpcli

import (
	"errors"
	"net"
	"net/netip"
)

// InterfaceOf returns the interface that holds addr: where vipd ucarp runs
// when -i is not given (BuildOptions.InterfaceOf).
func InterfaceOf(addr netip.Addr) (string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", err
	}
	for _, ifi := range ifs {
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Unmap() == addr {
					return ifi.Name, nil
				}
			}
		}
	}
	return "", errors.New("no such address on this host")
}
