import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ConfirmButton } from '@/components/account/confirm-button';
import { EditImageForm } from '@/components/account/edit-image-form';
import { ImageState } from '@/components/account/image-state';
import { ApiError } from '@/lib/api/operations';

describe('image states', () => {
  test('processing says so, as a live status', () => {
    render(<ImageState image={{ status: 'PROCESSING', rejectionReason: null }} />);
    expect(screen.getByRole('status')).toHaveTextContent('Processing…');
  });

  test('rejected gives the reason and offers removal', () => {
    render(
      <ImageState
        image={{ status: 'REJECTED', rejectionReason: 'The image has more than 50 megapixels.' }}
        remove={<button type="button">Remove</button>}
      />,
    );
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Not accepted: The image has more than 50 megapixels.');
    expect(within(status).getByRole('button', { name: 'Remove' })).toBeInTheDocument();
  });

  test('rejected without a reason still says something a person understands', () => {
    render(<ImageState image={{ status: 'REJECTED', rejectionReason: null }} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Not accepted: the file could not be read as an image.',
    );
  });

  test('hidden by a moderator says who sees it', () => {
    render(<ImageState image={{ status: 'HIDDEN', rejectionReason: null }} />);
    expect(screen.getByRole('status')).toHaveTextContent('Hidden by a moderator');
  });

  test('a ready image needs no notice', () => {
    const { container } = render(<ImageState image={{ status: 'READY', rejectionReason: null }} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('the edit form', () => {
  const image = { title: 'Harbour', altText: null, description: 'Early morning.' };

  test('shows each field with its limit and how much is used', () => {
    render(<EditImageForm image={image} onSave={jest.fn()} onCancel={jest.fn()} />);
    expect(screen.getByLabelText('Title')).toHaveAttribute('maxLength', '120');
    expect(screen.getByLabelText('Alt text')).toHaveAttribute('maxLength', '500');
    expect(screen.getByLabelText('Description')).toHaveAttribute('maxLength', '2000');
    expect(screen.getByLabelText('Title')).toHaveAccessibleDescription(
      'Shown under the image. 7 of 120 characters.',
    );
    fireEvent.change(screen.getByLabelText('Alt text'), { target: { value: 'Boats' } });
    expect(screen.getByLabelText('Alt text')).toHaveAccessibleDescription(
      'What the image shows, for people who cannot see it. 5 of 500 characters.',
    );
  });

  test('saves what was typed', async () => {
    const onSave = jest.fn().mockResolvedValue(undefined);
    render(<EditImageForm image={image} onSave={onSave} onCancel={jest.fn()} />);
    fireEvent.change(screen.getByLabelText('Alt text'), { target: { value: 'Boats in a harbour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith({
        title: 'Harbour',
        altText: 'Boats in a harbour',
        description: 'Early morning.',
      }),
    );
  });

  test('a refusal is shown in words, and the typed text is kept', async () => {
    const onSave = jest
      .fn()
      .mockRejectedValue(new ApiError('BadRequest', 'title may be at most 120 characters'));
    render(<EditImageForm image={image} onSave={onSave} onCancel={jest.fn()} />);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Harbour at dawn' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'We could not save the text of this image: title may be at most 120 characters',
    );
    expect(screen.getByLabelText('Title')).toHaveValue('Harbour at dawn');
  });
});

describe('the confirmation', () => {
  function renderConfirm(onConfirm = jest.fn().mockResolvedValue(undefined)) {
    render(
      <ConfirmButton
        label="Delete"
        subject="“Harbour”"
        question="Delete “Harbour”?"
        consequences="The original, its renditions and its record are deleted. This cannot be undone."
        confirmLabel="Delete for good"
        onConfirm={onConfirm}
      />,
    );
    return onConfirm;
  }

  test('the first press only asks, naming what goes, with focus on Cancel', () => {
    const onConfirm = renderConfirm();
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Harbour”' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Harbour”?' });
    expect(dialog).toHaveAccessibleDescription(/cannot be undone/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  test('Cancel goes back without acting', () => {
    const onConfirm = renderConfirm();
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Harbour”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  test('the explicit second button acts, once', async () => {
    const onConfirm = renderConfirm();
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Harbour”' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete for good' }));
    });
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
