// Defines std::ios_base_library_init(), the one symbol of GCC 13's libstdc++ (version GLIBCXX_3.4.32) that
// TorchSharp 0.107's libLibTorchSharp.so needs and older libstdc++ (GCC 12: Debian 12, Ubuntu 22.04) lacks.
// GCC 13 calls it from the static initialisers of code that includes <iostream>, to make sure the standard streams
// exist; constructing an std::ios_base::Init does exactly that with an older libstdc++.
// TorchRuntime loads this library globally before a patched copy of libLibTorchSharp.so (see LibstdcxxCompatibility).
#include <ios>

namespace std
{
void ios_base_library_init()
{
    static ios_base::Init init;
}
}
