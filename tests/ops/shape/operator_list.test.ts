/** mx.operator.getAllRegisteredOperators(): MXNet's mx.operator.get_all_registered_operators. */
import * as mx from 'mxts';

describe('mx.operator.getAllRegisteredOperators', () => {
  const names = mx.operator.getAllRegisteredOperators();

  test('lists canonical names and aliases, each once, in byte order', () => {
    for (const name of ['FullyConnected', 'SoftmaxOutput', 'Softmax', '_zeros', '_arange', 'slice', 'crop', 'Crop', 'flip', 'swapaxes', '_split_v2']) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    expect(names.indexOf('Crop')).toBeLessThan(names.indexOf('_zeros')); // upper case sorts before '_'
  });

  test('lists every MXNet 1.9.1 name and alias of the shape, indexing and creation family', () => {
    const family = [
      '_zeros', '_ones', '_full', '_arange', '_linspace', '_eye', '_zeros_without_dtype', '_contrib_arange_like',
      'squeeze', 'where', 'slice', 'crop', 'slice_like', 'tile', 'repeat', 'reverse', 'flip', 'stack',
      'broadcast_to', 'broadcast_like', 'broadcast_axis', 'broadcast_axes', 'reshape_like', 'shape_array', 'size_array',
      'SwapAxis', 'swapaxes', '_copy', 'identity', '_identity_with_attr_like_rhs', 'Pad', 'pad', 'Crop',
      '_slice_assign', '_crop_assign', '_slice_assign_scalar', '_crop_assign_scalar', 'depth_to_space', 'space_to_depth',
      '_split_v2', '_ravel_multi_index', 'ravel_multi_index', '_unravel_index', 'unravel_index',
    ];
    expect(family.filter((name) => !names.includes(name))).toEqual([]);
  });

  test('returns a fresh array each call', () => {
    const again = mx.operator.getAllRegisteredOperators();
    again.pop();
    expect(mx.operator.getAllRegisteredOperators()).toEqual(names);
  });
});
