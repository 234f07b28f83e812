# Writes the .npy golden files in this folder with numpy's own writer (np.save), so the reader in
# core/tensors/npy.ts is checked against the reference implementation's bytes, not our test writer's.
# Run from this folder: python3 make_npy.py   (numpy 2.4.6 made the committed files)
import numpy as np

m = np.array([[1.5, -2.25, 0.0], [3.0, 0.125, -7.5]])      # the 2x3 matrix every file holds
np.save('f4.npy', m.astype('<f4'))
np.save('f2.npy', m.astype('<f2'))
np.save('i1.npy', np.array([[1, -2, 0], [3, 127, -128]], dtype='|i1'))
np.save('be_f4.npy', m.astype('>f4'))                          # big endian
np.save('fortran_f8.npy', np.asfortranarray(m))                 # fortran_order: True, data column-major
np.save('i2_3d.npy', np.arange(-12, 12, dtype='<i2').reshape(2, 3, 4))

# bfloat16 as np.save writes an ml_dtypes.bfloat16 array (ml_dtypes is not installed here): ml_dtypes
# registers bfloat16 with kind 'V', so np.save writes descr '<V2' and the raw 2-byte values. We write that
# header with numpy's own header writer and the bfloat16 bits (top halves of the float32 values; these
# values are exact in bfloat16).
bits = (m.astype('<f4').view('<u4') >> 16).astype('<u2')
with open('bf16.npy', 'wb') as f:
    np.lib.format.write_array_header_1_0(f, {'descr': '<V2', 'fortran_order': False, 'shape': m.shape})
    f.write(bits.tobytes())
