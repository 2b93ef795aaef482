-- envbuilder: loaded once. Defines the user commands only (:EnvbuilderBuild, :EnvbuilderPush,
-- :EnvbuilderCancel, :EnvbuilderLog), which load the plugin when run and work with any running
-- client named "envbuilder" (this plugin's or nvim-lspconfig's). No server is started until
-- require('envbuilder').setup() is called.
if vim.g.loaded_envbuilder then
  return
end
vim.g.loaded_envbuilder = 1

if vim.fn.has('nvim-0.7') ~= 1 then
  vim.api.nvim_err_writeln('envbuilder.nvim needs Neovim 0.7 or later')
  return
end

require('envbuilder.commands').create()
