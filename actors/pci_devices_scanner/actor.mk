$(eval $(call c_actor,pci_devices_scanner,actors/pci_devices_scanner,pci_devices_scanner.c,,,sys fs))
