// The switch the OS thunks of shim_return.h read.

#include "shim_return.h"

extern "C" {
unsigned char mf_os_return_as_linux = 0;
}

namespace mf::simos {

void set_os_return_as_linux(bool as_linux) { mf_os_return_as_linux = as_linux ? 1 : 0; }

}  // namespace mf::simos
