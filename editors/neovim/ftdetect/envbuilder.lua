-- Filetypes for envbuilder's documents: devcontainer configs are JSON with comments (jsonc);
-- Containerfile and *.Dockerfile are Dockerfiles (Dockerfile.* and Containerfile.* already are).
if vim.filetype and vim.filetype.add and vim.fn.has('nvim-0.8') == 1 then
  -- filetype.lua is the detection in use from 0.8 on.
  vim.filetype.add({
    filename = {
      ['devcontainer.json'] = 'jsonc',
      ['.devcontainer.json'] = 'jsonc',
      ['Containerfile'] = 'dockerfile',
    },
    pattern = {
      ['.*%.Dockerfile'] = 'dockerfile',
    },
  })
else
  -- Neovim 0.7: filetype.vim sources this file inside `augroup filetypedetect`. The JSON rule
  -- has already run for *.json, so the filetype is set, not merely offered (setf).
  vim.cmd([[
    autocmd BufNewFile,BufRead devcontainer.json,.devcontainer.json set filetype=jsonc
    autocmd BufNewFile,BufRead Containerfile,*.Dockerfile setfiletype dockerfile
  ]])
end
