package spx

// CHeapInUse exposes cHeapInUse to the external tests.
var CHeapInUse = cHeapInUse
